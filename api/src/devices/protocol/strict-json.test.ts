import { describe, expect, it } from 'vitest';
import { isCompactUniqueJson } from './strict-json.js';

const STATUS = '{"v":1,"type":"status","dev":"front-door","boot":3,"seq":42,"status":"LOCKED","ctr":-1,"ts":1795760000,"ack":{"id":"a-1","result":"ok"}}';

describe('isCompactUniqueJson (the protocol byte rules)', () => {
  it.each([
    ['a status with a nested ack', STATUS],
    ['zero and negative integers', '{"a":0,"b":-7,"c":10}'],
    ['true, false and null', '{"a":true,"b":false,"c":null}'],
    ['the same key at another depth', '{"id":1,"ack":{"id":2}}'],
    ['an empty object', '{}'],
    ['names of one length that differ', '{"ab":1,"ac":2,"bc":3}'],
    ['a name a prefix of another', '{"a":1,"ab":2,"abc":3}'],
    ['the same names in two sibling objects', '{"x":{"a":1},"y":{"a":1}}'],
  ])('takes %s', (_name, text) => {
    expect(isCompactUniqueJson(text)).toBe(true);
  });

  it.each([
    ['a duplicate member', '{"a":1,"a":2}'],
    ['a duplicate member in a nested object', '{"x":{"a":1,"a":2}}'],
    ['a duplicate member after a nested object closed', '{"a":1,"x":{"b":1},"a":2}'],
    ['a duplicate member after a shorter name', '{"ab":1,"a":2,"ab":3}'],
    ['whitespace', '{"a": 1}'],
    ['a leading zero', '{"a":01}'],
    ['-0', '{"a":-0}'],
    ['-01', '{"a":-01}'],
    ['a lone minus', '{"a":-}'],
    ['a fraction', '{"a":7.0}'],
    ['an exponent', '{"a":7e0}'],
    ['a plus sign', '{"a":+7}'],
    ['a number glued to letters', '{"a":12ab}'],
    ['an array', '{"a":[1]}'],
    ['an escape in a string', '{"a":"x\\"y"}'],
    ['a \\u escape', '{"a":"\\u0041"}'],
    ['a control character in a string', '{"a":"x\ty"}'],
    ['a non-ASCII character', '{"a":"é"}'],
    ['an unterminated string', '{"a":"xyz}'],
    ['nesting deeper than allowed', '{"a":{"b":{"c":1}}}'],
    ['an unclosed object', '{"a":1'],
  ])('refuses %s', (_name, text) => {
    expect(isCompactUniqueJson(text)).toBe(false);
  });

  it('allows deeper nesting when asked', () => {
    expect(isCompactUniqueJson('{"a":{"b":{"c":1}}}', 3)).toBe(true);
  });
});

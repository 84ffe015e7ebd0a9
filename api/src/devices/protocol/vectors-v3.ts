/**
 * The protocol v3 cases of docs/protocol-vectors.json (`v3Cases`, §13), read
 * like `v2Cases` but by a receiver that negotiated v3: v2's messages with
 * `"v":3`, hello and welcome still `"v":2`, and v3's own types. The v2 cases
 * stay as they are (§11.4).
 */
import { buildV2Vectors, caseOf, type GeneratedVectors, type V2Case } from './vectors-v2.js';

export const HELLO_V3 = '{"v":2,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,2,3","ts":0,"fw":"3.0.0"}';
export const WELCOME_V3 = '{"v":2,"type":"welcome","dev":"front-door","ver":3,"ts":1795760010}';
export const TIME_V3 = '{"v":3,"type":"time","dev":"front-door","boot":5,"seq":2,"ts":1795760011}';
export const CMD_V3 = '{"v":3,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}';
export const STATUS_V3 = '{"v":3,"type":"status","dev":"front-door","boot":5,"seq":4,"status":"UNLOCKED","door":"CLOSED","src":"REMOTE","cid":"c-9","ctr":9,"ts":1795760021,"ack":{"id":"c-9","result":"ok"}}';
export const CFG_V3 = '{"v":3,"type":"cfg","dev":"front-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":30,"boot":"STAY","lockOpen":"REFUSE"}';

/** What every v3 receiver checks first: v2's messages in v3, and the versions that are not v3. */
function negotiationAndV2Types(): V2Case[] {
  return [
    caseOf('v3 worked example hello', 'hello', HELLO_V3, 'valid'),
    caseOf('v3 worked example welcome', 'welcome', WELCOME_V3, 'valid'),
    caseOf('v3 worked example time', 'time', TIME_V3, 'valid'),
    caseOf('v3 worked example cmd', 'cmd', CMD_V3, 'valid'),
    caseOf('v3 worked example status with its ack', 'status', STATUS_V3, 'valid'),
    caseOf('v3 worked example cfg', 'cfg', CFG_V3, 'valid'),
    caseOf('v3 status while locking by auto-relock', 'status', '{"v":3,"type":"status","dev":"front-door","boot":5,"seq":6,"status":"LOCKING","door":"CLOSED","src":"AUTO","ctr":9,"ts":1795760070}', 'valid'),
    caseOf('hello as v3 (a hello is always v2)', 'hello', '{"v":3,"type":"hello","dev":"front-door","boot":5,"seq":1,"vers":"1,2,3","ts":0,"fw":"3.0.0"}', 'bad_version'),
    caseOf('welcome as v3 (a welcome is always v2)', 'welcome', '{"v":3,"type":"welcome","dev":"front-door","ver":3,"ts":1795760010}', 'bad_version'),
    caseOf('v2 cmd to a lock welcomed into v3', 'cmd', '{"v":2,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}', 'bad_version'),
    caseOf('v2 status from a lock welcomed into v3', 'status', '{"v":2,"type":"status","dev":"front-door","boot":5,"seq":6,"status":"LOCKED","door":"CLOSED","src":"MANUAL","ctr":9,"ts":1795760070}', 'bad_version'),
    caseOf('v1 cmd signed with the cmd key', 'cmd', '{"v":1,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020}', 'bad_version'),
    caseOf('v3 cmd signed with K instead of the cmd key', 'cmd', CMD_V3, 'bad_signature', { signer: 'K' }),
    caseOf('v3 status signed with the cmd key', 'status', STATUS_V3, 'bad_signature', { signer: 'cmd' }),
    caseOf('v3 cmd with an unknown member', 'cmd', '{"v":3,"type":"cmd","dev":"front-door","id":"c-9","action":"UNLOCK","ctr":9,"ts":1795760020,"door":"OPEN"}', 'malformed'),
    caseOf('v3 status with cid but src MANUAL', 'status', '{"v":3,"type":"status","dev":"front-door","boot":5,"seq":5,"status":"LOCKED","door":"CLOSED","src":"MANUAL","cid":"c-9","ctr":9,"ts":1795760040}', 'malformed'),
    caseOf('v3 cfg for another device', 'cfg', '{"v":3,"type":"cfg","dev":"back-door","id":"cfg-1","ctr":10,"ts":1795760030,"relock":30,"boot":"STAY","lockOpen":"REFUSE"}', 'wrong_device'),
  ];
}

export function buildV3Cases(): V2Case[] {
  return [...negotiationAndV2Types()];
}

/** Everything `npm run vectors` writes after the v1 part. */
export function buildVectors(): GeneratedVectors {
  return { ...buildV2Vectors(), v3Cases: buildV3Cases() };
}

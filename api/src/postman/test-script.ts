/** The Postman test script of one request (runs in Postman's sandbox, so plain ES5-ish JavaScript). */
import type { RequestPlan } from './request-plan.js';

export function testScript(plan: RequestPlan): string[] {
  const lines = [
    "pm.test('HTTP 200', function () { pm.response.to.have.status(200); });",
    'var body = pm.response.json();',
    'var errors = body.errors || [];',
    'var codes = errors.map(function (error) { return error.extensions && error.extensions.code; });',
    "pm.test('a GraphQL response (data or errors)', function () { pm.expect(body.data !== undefined || errors.length > 0).to.equal(true); });",
    "pm.test('no INTERNAL_SERVER_ERROR', function () { pm.expect(codes).to.not.include('INTERNAL_SERVER_ERROR'); });",
  ];
  const { outcome } = plan;
  if (outcome.kind === 'succeeds') {
    lines.push("pm.test('succeeds', function () { pm.expect(errors, JSON.stringify(errors)).to.have.lengthOf(0); pm.expect(body.data).to.be.an('object'); });");
  } else if (outcome.kind === 'refused') {
    const allowed = JSON.stringify(outcome.codes);
    lines.push(
      `pm.test('refused with ${outcome.codes.join(' or ')}', function () {`,
      "  pm.expect(errors.length, 'expected an error').to.be.above(0);",
      `  codes.forEach(function (code) { pm.expect(${allowed}, JSON.stringify(errors)).to.include(code); });`,
      '});',
    );
  } else if (outcome.kind === 'succeedsOrRefused') {
    const allowed = JSON.stringify(outcome.codes);
    lines.push(`pm.test('succeeds or is refused with ${outcome.codes.join(' or ')}', function () { codes.forEach(function (code) { pm.expect(${allowed}, JSON.stringify(errors)).to.include(code); }); });`);
  }
  const saves = Object.entries(plan.saves ?? {});
  const after = plan.afterSuccess ?? [];
  if (saves.length > 0 || after.length > 0) {
    lines.push('if (errors.length === 0 && body.data) {');
    for (const [key, path] of saves) {
      const read = path.split('.').map((part) => `[${JSON.stringify(part)}]`).join('');
      lines.push(`  pm.environment.set(${JSON.stringify(key)}, body.data${read});`);
    }
    lines.push(...after.map((line) => `  ${line}`), '}');
  }
  return lines;
}

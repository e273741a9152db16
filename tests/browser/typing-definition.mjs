// The definition the typing benchmarks type in (typing-bench.mjs, typing-profile.mjs): `n` states
// of Pass, lambda Tasks with Retry (some with Catch) and Choices, pretty-printed as a user's
// editor would hold it (200 states: ~41 KB, ~1,900 lines).
export function definition(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    const name = `S${String(i).padStart(3, '0')}`;
    const next = i + 1 < n ? `S${String(i + 1).padStart(3, '0')}` : null;
    if (i % 20 === 10 && next) {
      States[name] = { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1000, Next: 'Done' }], Default: next };
    } else if (i % 5 === 0) {
      States[name] = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': `f${i}`, 'Payload.$': '$' },
        ResultSelector: { 'v.$': '$.Payload' }, ResultPath: `$.r${i}`, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }],
        ...(i % 20 === 15 ? { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }] } : {}),
        ...(next ? { Next: next } : { End: true }) };
    } else {
      States[name] = { Type: 'Pass', Parameters: { 'i': i, 'n.$': 'States.MathAdd($.n, 1)' }, ...(next ? { Next: next } : { End: true }) };
    }
  }
  States.Done = { Type: 'Succeed' };
  States.Failed = { Type: 'Fail', Error: 'Pipeline.Failed' };
  return JSON.stringify({ Comment: 'typing', StartAt: 'S000', States }, null, 2);
}

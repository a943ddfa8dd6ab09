// is-in-ci (MIT, Sindre Sorhus) as Ink asks it, with one change: a person at a terminal is never "in
// CI". Ink, told it runs in CI, draws nothing until the program ends (it only prints the last frame) —
// which leaves a blank screen to an engineer whose shell happens to export CI=1, and to the tests
// that drive the cockpit in tmux under CI=true. The build substitutes this file for is-in-ci when
// Ink imports it.
import { env, stdin, stdout } from 'node:process';

const check = (key) => key in env && env[key] !== '0' && env[key] !== 'false';

const interactive = stdout.isTTY === true && stdin.isTTY === true;

export default !interactive && (check('CI') || check('CONTINUOUS_INTEGRATION'));

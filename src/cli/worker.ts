// The body of a `--max-workers` thread: load, compile and run one scenario file. The main thread
// has already compiled every file (input errors are reported before anything runs), so a
// compile failure here is a bug; compiled scenarios are not sent across because they are not
// plain data (structured clone), while the file path is.

import { loadScenarioFile } from '../scenario/load.js';
import { compileScenario } from '../scenario/compile.js';
import { runScenario } from '../engine/run.js';
import type { ScenarioResult } from '../result.js';

export interface WorkerTask {
  file: string;
  seed?: number;
  trace: boolean;
}

export default function runTask(task: WorkerTask): ScenarioResult {
  return runScenario(compileScenario(loadScenarioFile(task.file)), { seed: task.seed, trace: task.trace });
}

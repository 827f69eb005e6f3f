// Baseline (u): globobot's own listener, exactly as `serve` starts it, but with
// the audit trail's two hooks left out. globobot − unaudited is what the audit
// trail costs (issue 15); it is not a way to run globobot, and is built only
// into the bench's temporary folder.
//
// Environment: as `serve`.
import {loadConfig} from '../../source/config.js';
import {tuneHeapForListener} from '../../server/heapTuning.js';
import {createLogger} from '../../server/logger.js';
import {startListener} from '../../server/listener.js';

const config = loadConfig({});
tuneHeapForListener();
const noAudit = async () => undefined;
await startListener(config, {logger: createLogger({level: config.logLevel}), onDecided: noAudit, onReplied: noAudit});

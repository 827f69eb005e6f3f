// The audit trail: one entry per balance decision, written by the replier
// inside the very transaction that saves the decision's reply plan, so there
// is never one without the other. Entries form one SHA-256 hash chain (see
// audit/canonical.ts) that `globobot-admin audit verify` recomputes.
//
// Reply ids arrive later, when Webex has accepted the reply. Rewriting the
// decision entry would break its hash (and the table refuses updates), so
// they are a second kind of chained entry, `reply-sent`, that names the
// decision's seq: the decision's hash never changes, the ids are as
// tamper-evident as the decision, and verify checks every reply-sent entry
// points at a decision for the same event.
export * from './audit/types.js';
export {appendAuditEntry, type AppendOptions, migrateAudit, recordAuditReplyIds} from './audit/append.js';
export {auditDecisionOf, auditOnDecided, auditOnReplied} from './audit/hooks.js';
export {auditMigrations} from './audit/migrations.js';
export {canonicalForm, canonicalObject, hashOf} from './audit/canonical.js';
export {type Anchor, checkRecordedHead, type Verification, type RecordedHead, recordedHeadOfEmptyChain, verifyAudit, verifyEntries, verifyExport, type VerifyResult} from './audit/verify.js';
export {pruneAudit, type PruneResult} from './audit/prune.js';
export {applyAuditRetention, startAuditRetention, type RetentionOptions} from './audit/retention.js';
export {auditCheck, type AuditCheck, auditTableExists} from './audit/health.js';
export {exportAudit, listAudit, type AuditFilter} from './audit/query.js';
export {exportLine, parseExportLine} from './audit/exportFormat.js';


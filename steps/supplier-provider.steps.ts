import { attachmentsRequestedWhenAvailable, parametersCarried } from '../src/supplier/checks.ts';
import { attachmentFacts, describeReview, isOnWorklist, linkLetterBehindTheBack, reviewFacts } from '../src/supplier/ers-state.ts';
import { referralNamed } from '../src/supplier/facts.ts';
import { judgeObservation, lastPerformed, performOrEnd, type SupplierScenario } from '../src/supplier/scenario.ts';
import { filedAttachments, offeredActions, worklistShown } from '../src/supplier/provider-facts.ts';
import { Given, Then, When } from '../support/steps-api.ts';
import type { ErsWorld } from '../support/world.ts';
import { judged } from '../support/supplier.ts';

// Supplier mode, provider side: the user works in the hospital's PAS (When); the harness plays e-RS and judges what
// the PAS sent, what it did to e-RS and what it showed (Then). Orchestration and judgements: src/supplier/.

/** What the user types in the PAS: the comment with a rejection, and with a triage outcome. */
const REJECTION_COMMENT = 'Not appropriate for this clinic: please refer to the heart failure nurse service (conformance suite)';
const TRIAGE_COMMENT = 'Reviewed at triage by the conformance suite';

const ubrnOf = (world: ErsWorld, name: string): string => referralNamed(world.sut, name, (intent) => world.fixture(intent));
const attested = (s: SupplierScenario, action: Parameters<typeof lastPerformed>[1]): boolean => lastPerformed(s, action).answer.observations?.attested === true;

// ---- Given: what e-RS holds before the PAS looks ----

Given('the referrer has also attached the {string} file to the {string} referral', function (this: ErsWorld, file: string, name: string) {
  const { simulator } = this.sut.run;
  linkLetterBehindTheBack(simulator.state(), ubrnOf(this, name), this.fixture(`attachments.${file}`), simulator.now());
});

Given('the referrer has just attached the {string} file to the {string} referral, its malware scan finishing in {int} minutes', function (this: ErsWorld, file: string, name: string, minutes: number) {
  const { simulator } = this.sut.run;
  linkLetterBehindTheBack(simulator.state(), ubrnOf(this, name), this.fixture(`attachments.${file}`), simulator.now(), minutes);
});

// ---- When: what the user does in the PAS ----

When('the user imports the {word} worklist for the {string} service', async function (this: ErsWorld, listType: string, service: string) {
  await performOrEnd(this.sut, 'provider.importWorklist', { service: this.fixture(`services.${service}`), listType });
});

When('the PAS\'s scheduled import fetches the {word} worklist for the {string} service', async function (this: ErsWorld, listType: string, service: string) {
  // no user at the keyboard: the PAS imports as the trust's application
  await performOrEnd(this.sut, 'provider.importWorklist', { service: this.fixture(`services.${service}`), listType });
});

When('the user opens the {string} referral', async function (this: ErsWorld, name: string) {
  await performOrEnd(this.sut, 'provider.openReferral', { ubrn: ubrnOf(this, name) });
});

When('the user downloads the attachments of the {string} referral', async function (this: ErsWorld, name: string) {
  await performOrEnd(this.sut, 'provider.downloadAttachments', { ubrn: ubrnOf(this, name) });
});

When('the user accepts the {string} referral', async function (this: ErsWorld, name: string) {
  await performOrEnd(this.sut, 'provider.acceptReferral', { ubrn: ubrnOf(this, name) });
});

When('the user rejects the {string} referral with the {string} rejection reason', async function (this: ErsWorld, name: string, reason: string) {
  await performOrEnd(this.sut, 'provider.rejectReferral', { ubrn: ubrnOf(this, name), reason: this.fixture(`rejectionReasons.${reason}`), comment: REJECTION_COMMENT });
});

When('the user records the triage outcome {word} for the {string} referral', async function (this: ErsWorld, outcome: string, name: string) {
  await performOrEnd(this.sut, 'provider.recordTriageOutcome', { ubrn: ubrnOf(this, name), outcome, comment: TRIAGE_COMMENT });
});

// ---- Then: what the PAS sent ----

Then('the system asked e-RS only for attachments e-RS reported AVAILABLE', async function (this: ErsWorld) {
  await judged(this, 'Attachments asked for only when released', 'A042 only for attachments the last A005 reported AVAILABLE (no PENDING, THREATS_FOUND or VALIDATION_FAILED file, no polling)', attachmentsRequestedWhenAvailable(this.sut.window.ers()));
});

Then('the system sent A014 with the rejection reason {string} and the comment the user gave', async function (this: ErsWorld, reason: string) {
  await judged(this, 'The rejection as the user gave it', 'rejectionReason and rejectionComments as the user chose them', parametersCarried(this.sut.window.ers(), 'A014', { rejectionReason: this.fixture(`rejectionReasons.${reason}`), rejectionComments: REJECTION_COMMENT }));
});

Then('the system sent A028 with the outcome {word} and the comments the user gave', async function (this: ErsWorld, outcome: string) {
  await judged(this, 'The triage outcome as the user gave it', 'reviewOutcome and reviewComments as the user chose them', parametersCarried(this.sut.window.ers(), 'A028', { reviewOutcome: outcome, reviewComments: TRIAGE_COMMENT }));
});

// ---- Then: what it did to e-RS ----

Then('the {string} referral is accepted in e-RS: still BOOKED, its review complete', function (this: ErsWorld, name: string) {
  const ubrn = ubrnOf(this, name);
  const f = reviewFacts(this.sut.run.simulator.state(), ubrn);
  judgeObservation(this.sut, `e-RS: the ${name} referral accepted`, 'state BOOKED, review complete (A013 ACCEPTED)', describeReview(f, ubrn), f?.state === 'BOOKED' && f.reviewed && f.lastActivity?.outcome === 'ACCEPTED', false);
});

Then('the {string} referral is not accepted in e-RS', function (this: ErsWorld, name: string) {
  const ubrn = ubrnOf(this, name);
  const f = reviewFacts(this.sut.run.simulator.state(), ubrn);
  judgeObservation(this.sut, `e-RS: the ${name} referral not accepted`, 'no review recorded', describeReview(f, ubrn), !!f && !f.reviewed, false);
});

Then('the {string} referral was returned to the referrer with the {string} rejection reason and the user\'s comment', function (this: ErsWorld, name: string, reason: string) {
  const ubrn = ubrnOf(this, name);
  const code = this.fixture(`rejectionReasons.${reason}`);
  const f = reviewFacts(this.sut.run.simulator.state(), ubrn);
  judgeObservation(this.sut, `e-RS: the ${name} referral rejected`, `state REJECTED, reason ${code}, comment "${REJECTION_COMMENT}"`, describeReview(f, ubrn), f?.state === 'REJECTED' && f.reason === code && f.lastActivity?.comments === REJECTION_COMMENT, false);
});

Then('e-RS recorded the triage outcome {word} with the user\'s comments for the {string} referral', function (this: ErsWorld, outcome: string, name: string) {
  const ubrn = ubrnOf(this, name);
  const f = reviewFacts(this.sut.run.simulator.state(), ubrn);
  judgeObservation(this.sut, `e-RS: the triage outcome of the ${name} referral`, `outcome ${outcome}, comments "${TRIAGE_COMMENT}"`, describeReview(f, ubrn), f?.reason === outcome && f.lastActivity?.outcome === outcome && f.lastActivity.comments === TRIAGE_COMMENT, false);
});

Then('the {string} referral is on the {word} worklist in e-RS', function (this: ErsWorld, name: string, listType: string) {
  const ubrn = ubrnOf(this, name);
  const store = this.sut.run.simulator.state();
  judgeObservation(this.sut, `e-RS: the ${name} referral on ${listType}`, `on the ${listType} worklist`, `${isOnWorklist(store, ubrn, listType) ? 'on' : 'not on'} it; ${describeReview(reviewFacts(store, ubrn), ubrn)}`, isOnWorklist(store, ubrn, listType), false);
});

Then('the {string} referral is off the {word} worklist in e-RS', function (this: ErsWorld, name: string, listType: string) {
  const ubrn = ubrnOf(this, name);
  const store = this.sut.run.simulator.state();
  judgeObservation(this.sut, `e-RS: the ${name} referral off ${listType}`, `not on the ${listType} worklist`, `${isOnWorklist(store, ubrn, listType) ? 'on' : 'not on'} it; ${describeReview(reviewFacts(store, ubrn), ubrn)}`, !!store.referrals.get(ubrn) && !isOnWorklist(store, ubrn, listType), false);
});

// ---- Then: what the PAS showed or filed ----

Then('the system shows the user every referral on the e-RS worklist', function (this: ErsWorld) {
  const p = lastPerformed(this.sut, 'provider.importWorklist');
  const w = worklistShown(p);
  judgeObservation(this.sut, 'The worklist is shown', `the ${w.listed.length} referral(s) A008 listed: ${w.listed.join(', ') || '(no A008 answered 200)'}`, `shown: ${w.shown.join(', ') || '(nothing)'}`, w.answered && w.listed.every((u) => w.shown.includes(u)) && w.shown.every((u) => w.listed.includes(u)), attested(this.sut, 'provider.importWorklist'));
});

Then('the system offers the user exactly the actions e-RS makes available', function (this: ErsWorld) {
  const p = lastPerformed(this.sut, 'provider.openReferral');
  const a = offeredActions(p);
  judgeObservation(this.sut, 'The available actions are offered', `the actions A029 answered at the version read: ${a.available.join(', ') || '(none)'}${a.answered ? '' : ' (no A029 answered 200)'}`, `offered: ${a.offered.join(', ') || '(nothing)'}`, a.answered && a.available.length === a.offered.length && a.available.every((x) => a.offered.includes(x)), attested(this.sut, 'provider.openReferral'));
});

Then('the system filed exactly the attachments e-RS released for the {string} referral, byte for byte', function (this: ErsWorld, name: string) {
  const ubrn = ubrnOf(this, name);
  const { simulator } = this.sut.run;
  const p = lastPerformed(this.sut, 'provider.downloadAttachments');
  const r = filedAttachments(p, attachmentFacts(simulator.state(), ubrn, simulator.now()));
  judgeObservation(this.sut, 'The released attachments are filed, the others shown as not downloaded', r.expected, r.actual, r.findings.length === 0, attested(this.sut, 'provider.downloadAttachments'));
});

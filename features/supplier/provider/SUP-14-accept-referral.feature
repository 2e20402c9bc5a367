@supplier @provider @stu3 @A013
Feature: Supplier system: a PAS accepts a referral
  The PAS reads the referral and accepts it (A013) with the version read as If-Match. After a version conflict
  (409) or a failed precondition (412) it reads the referral again before accepting again; it backs off after
  503 as Retry-After says; an acceptance e-RS refuses (422) or that meets a lock (423 REFERRAL_LOCKED) is
  reported to the user, not sent again.

  Background:
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system

  @req=SUP-PROV-ACCEPT-01 @req=SUP-VERSION-01 @req=SUP-REQ-01 @req=SUP-ORDER-01
  Scenario: the clinician accepts a booked referral with the version read
    When the user accepts the "bookedDbs" referral
    Then the system sent A005 then A013
    And every request the system sent conforms to its profiles and the e-RS contract
    And every write the system sent carries the version e-RS served last as If-Match
    And the system sent nothing but the operations of the actions asked for
    And the "bookedDbs" referral is accepted in e-RS: still BOOKED, its review complete
    And the "bookedDbs" referral is off the REFERRALS_FOR_REVIEW worklist in e-RS

  @req=SUP-VERSION-02 @req=SUP-PROV-ACCEPT-01
  Scenario: someone else changed the referral meanwhile (409): the PAS reads it again, then accepts
    Given someone else changes the "bookedDbs" referral in e-RS just after the system reads it
    When the user accepts the "bookedDbs" referral
    Then the system read the referral again before writing to it again
    And every write the system sent carries the version e-RS served last as If-Match
    And the "bookedDbs" referral is accepted in e-RS: still BOOKED, its review complete

  @req=SUP-VERSION-02 @fault-injection
  Scenario: e-RS answers 412 Precondition Failed: the PAS reads the referral again before accepting again
    Given e-RS will answer the system's next A013 with HTTP 412
    When the user accepts the "bookedDbs" referral
    Then the system read the referral again before writing to it again
    And the "bookedDbs" referral is accepted in e-RS: still BOOKED, its review complete

  @req=SUP-BACKOFF-01 @fault-injection
  Scenario: e-RS is briefly unavailable (503 with Retry-After): the PAS waits and accepts once
    Given e-RS will answer the system's next A013 with HTTP 503 and Retry-After 1
    When the user accepts the "bookedDbs" referral
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And the "bookedDbs" referral is accepted in e-RS: still BOOKED, its review complete

  @req=SUP-BACKOFF-04 @fault-injection
  Scenario: the referral is locked by another update (423 REFERRAL_LOCKED): the PAS tells the user, does not retry blindly
    Given e-RS will answer the system's next A013 with HTTP 423
    When the user accepts the "bookedDbs" referral
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "bookedDbs" referral is not accepted in e-RS

  @req=SUP-ERR-422
  Scenario: a referral awaiting triage cannot be accepted (422 INVALID_REQUEST_STATE): the PAS does not send it again
    When the user accepts the "awaitingTriage" referral
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "awaitingTriage" referral is in state AWAITING_TRIAGE in e-RS

  @req=SUP-AUDIT-01 @A005 @A029
  Scenario: every call of an open-and-accept journey is in the PAS's audit trail with its correlation id
    When the user opens the "bookedDbs" referral
    And the user accepts the "bookedDbs" referral
    Then the system's audit trail holds the X-Correlation-ID of every request it sent
    And the "bookedDbs" referral is accepted in e-RS: still BOOKED, its review complete

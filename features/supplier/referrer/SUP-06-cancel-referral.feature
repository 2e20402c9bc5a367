@supplier @referrer @stu3 @A036
Feature: Supplier system: a referrer cancels a referral
  The GP system reads the referral and cancels it (A036) with the version read as If-Match. After a
  version conflict (409) it reads again before writing again; it backs off after 503 as Retry-After says;
  a cancellation e-RS rejects (422, 423) is not sent again.

  Background:
    Given a REFERRING_CLINICIAN is logged in to the supplier's system

  @req=SUP-REQ-01 @req=SUP-VERSION-01 @req=SUP-ORDER-01
  Scenario: the user cancels a referral with the version read
    When the user cancels the "unbooked" referral with the "byReferrer" cancellation reason
    Then the system sent A005 then A036
    And every request the system sent conforms to its profiles and the e-RS contract
    And every write the system sent carries the version e-RS served last as If-Match
    And the "unbooked" referral is in state CANCELLED_REFERRAL in e-RS

  @req=SUP-VERSION-02
  Scenario: someone else changed the referral meanwhile (409): the system reads it again, then cancels
    Given someone else changes the "unbooked" referral in e-RS just after the system reads it
    When the user cancels the "unbooked" referral with the "byReferrer" cancellation reason
    Then the system read the referral again before writing to it again
    And every write the system sent carries the version e-RS served last as If-Match
    And the "unbooked" referral is in state CANCELLED_REFERRAL in e-RS

  @req=SUP-BACKOFF-01 @fault-injection
  Scenario: e-RS is briefly unavailable (503 with Retry-After): the system waits and cancels
    Given e-RS will answer the system's next A036 with HTTP 503 and Retry-After 1
    When the user cancels the "unbooked" referral with the "byReferrer" cancellation reason
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And the "unbooked" referral is in state CANCELLED_REFERRAL in e-RS

  @req=SUP-ERR-422
  Scenario: e-RS refuses an unknown cancellation reason (422): the system does not send it again
    When the user cancels the "unbooked" referral with the "unknown" cancellation reason
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "unbooked" referral is in state NOT_BOOKED in e-RS

  @req=SUP-BACKOFF-04 @fault-injection
  Scenario: the referral is locked by another update (423): the system does not send the cancellation again
    Given e-RS will answer the system's next A036 with HTTP 423
    When the user cancels the "unbooked" referral with the "byReferrer" cancellation reason
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "unbooked" referral is in state NOT_BOOKED in e-RS

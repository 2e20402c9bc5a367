@journey @stu3 @user-restricted @stateful
Feature: Referrer journeys: defer to the provider, send for triage
  When no slot can be booked the referrer defers the referral to the provider, who then arranges the
  appointment (A016 proposed, DEFERRED_TO_PROVIDER, on the provider's APPOINTMENT_SLOT_ISSUES list). A
  referral for a triage service is sent for triage, either in one call (A021, deprecated) or by creating
  it (A011) and then asking for triage (A016 TRIAGE) (catalogue section 8.1).

  @A011 @A015 @A016 @A029 @req=JOURNEY-REFERRER-DEFER
  Scenario: no free slots, so the referral is deferred to the provider
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "noSlots" service
    When the caller searches for free slots at the "noSlots" service
    Then the response is a searchset Bundle of 0 free slots
    When the caller defers the referral to the "noSlots" service with reason NO_SLOTS_AT_SERVICE
    Then an appointment is created with status proposed
    And the referral under test is now in state DEFERRED_TO_PROVIDER
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CANCEL_REFERRAL"

  @A021 @A029 @req=JOURNEY-REFERRER-TRIAGE
  Scenario: create and send for triage in one call (A021)
    Given the caller is a REFERRING_CLINICIAN
    When the caller creates a referral for triage at the "triage" service
    Then the response status is 201
    And the referral under test is now in state AWAITING_TRIAGE
    Given the caller is a SERVICE_PROVIDER_CLINICIAN
    When the caller asks which actions it may take on the referral
    Then the actions offered are "RECORD_REVIEW_OUTCOME, CANCEL_REFERRAL"

  @A011 @A016 @req=JOURNEY-REFERRER-TRIAGE
  Scenario: create, then send for triage (A011 + A016)
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "triage" service
    When the caller sends the referral for triage at the "triage" service
    Then an appointment is created with status proposed
    And the referral under test is now in state AWAITING_TRIAGE

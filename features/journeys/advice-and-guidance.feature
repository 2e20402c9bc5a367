@journey @stu3 @user-restricted @stateful
Feature: Advice and guidance, referrer to provider and back
  A referrer asks for advice (A044); the provider finds it on its A&G worklist (A023), reads it and its
  conversation (A024, A025) and either answers with advice (A026) or converts it to a referral (A027); the referrer
  then sees the outcome. A request the provider has answered is no longer awaiting it, so A026 and A027 are the
  two ends of one fork (catalogue 8.3), each journey taking one.

  @A044 @A023 @A024 @A025 @A026 @req=A026-OP
  Scenario: the provider answers with advice and the referrer reads it
    Given a referrer has asked the "adviceAndGuidance" service for advice
    And the caller is a SERVICE_PROVIDER_CLINICIAN
    When the caller fetches the advice and guidance worklist
    Then the worklist lists the advice and guidance request under test as PROVIDER_RESPONSE_REQUIRED at its current version
    When the caller reads the advice and guidance request
    Then the response is the advice and guidance request, PROVIDER_RESPONSE_REQUIRED
    When the caller reads the conversation
    Then the conversation holds, newest first, messages sent by "REQUESTER"
    When the caller responds RETURN_TO_REFERRER_WITH_ADVICE
    Then the response is a Parameters resource holding the createdCommunication Communication
    And the referrer sees the advice and guidance request as REFERRER_TO_REVIEW_RESPONSE
    And the referrer reads the conversation, newest first, as messages sent by "RESPONDER, REQUESTER"

  @A044 @A023 @A024 @A025 @A027 @req=A027-OP
  Scenario: the provider converts the request and the referrer sees the referral
    Given a referrer has asked the "adviceAndGuidance" service for advice
    And the caller is a SERVICE_PROVIDER_CLINICIAN
    When the caller fetches the advice and guidance worklist
    Then the worklist lists the advice and guidance request under test as PROVIDER_RESPONSE_REQUIRED at its current version
    When the caller reads the conversation
    Then the conversation holds, newest first, messages sent by "REQUESTER"
    When the caller converts the request to a referral
    Then the response is a referral converted from an advice and guidance request, in state TRIAGED_PROVIDER_TO_ACTION
    And the referrer sees the referral in state TRIAGED_PROVIDER_TO_ACTION
    And the referrer sees the advice and guidance request as CONVERTED
    And the referrer reads the conversation, newest first, as messages sent by "RESPONDER, REQUESTER"

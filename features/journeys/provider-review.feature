@journey @stu3 @user-restricted @stateful
Feature: Provider journeys: review, reject, triage, hand to the admin team
  The provider side of a referral (catalogue 8.1, 8.4, 8.5). A referral booked into a provider's service waits on
  its REFERRALS_FOR_REVIEW worklist; the clinician reads it, downloads its attachments once the document store has
  scanned them, reads the clinical information summary and accepts it, or rejects it back to the referrer with a
  reason, or cancels the appointment for the admin team to act on later. A referral sent for triage gets a review
  outcome either way. At each step A029 offers exactly what the writes then accept.

  @A005 @A006 @A007 @A008 @A012 @A013 @A016 @A020 @A029 @A042 @fault-injection @req=JOURNEY-PROVIDER-REVIEW
  Scenario: worklist, read, download the attachments, accept
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "directlyBookable" service
    And the caller has uploaded "referral-letter.txt" as "text/plain" for the referral
    And the caller links the uploaded file as the referral letter
    And the referral under test is booked at the "directlyBookable" service
    And the document store has had 5 minutes to scan
    Given the caller is a SERVICE_PROVIDER_CLINICIAN
    When the caller fetches the REFERRALS_FOR_REVIEW worklist
    Then the worklist includes the referral under test
    When the caller picks the referral under test from the worklist
    And the caller reads the referral under test
    Then the referral read lists 1 attachment, each AVAILABLE
    When the caller downloads every attachment of the referral under test
    Then every attachment downloaded with its bytes
    When the caller retrieves the "first uploaded" attachment with A006
    Then the response is the attachment's bytes as "text/plain"
    When the caller asks for the clinical information of the referral under test
    Then the response is a clinical information summary PDF named for the referral
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CANCEL_REFERRAL"
    When the caller accepts the referral
    Then the response status is 200
    And the referral under test is now in state BOOKED
    When the caller fetches the REFERRALS_FOR_REVIEW worklist
    Then the worklist does not include the referral under test

  @A008 @A014 @A016 @A029 @A031 @req=JOURNEY-PROVIDER-REJECT
  Scenario: rejected with a reason, the referrer sees it and changes the shortlist
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
    And the referral under test is booked at the "directlyBookable" service
    Given the caller is a SERVICE_PROVIDER_CLINICIAN
    When the caller rejects the referral with reason "<rejectionReasons.commentMandatory>" and comment "Please add the ECG trace"
    Then the response status is 200
    Given the caller is a REFERRING_CLINICIAN
    When the caller fetches the REJECTED_TRIAGE_RESPONSE worklist
    Then the worklist includes the referral under test
    And the referral under test is now in state REJECTED with reason <rejectionReasons.commentMandatory>
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CHANGE_SHORTLIST, CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE, CANCEL_REFERRAL"
    When the caller changes the shortlist to the "indirectlyBookable" service
    Then the referral under test is now in state NOT_BOOKED

  @A008 @A016 @A028 @A029 @req=JOURNEY-PROVIDER-TRIAGE
  Scenario: triage returned to the referrer with advice
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "triage" service, with no referral letter to come
    And the caller sends the referral for triage at the "triage" service
    Given the caller is a SERVICE_PROVIDER_CLINICIAN
    When the caller asks which actions it may take on the referral
    Then the actions offered are "RECORD_REVIEW_OUTCOME, CANCEL_REFERRAL"
    When the caller records the triage outcome RETURN_TO_REFERRER_WITH_ADVICE with comment "Manage in primary care for six weeks"
    Then the response status is 200
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CANCEL_REFERRAL"
    Given the caller is a REFERRING_CLINICIAN
    When the caller fetches the REJECTED_TRIAGE_RESPONSE worklist
    Then the worklist includes the referral under test
    And the referral under test is now in state TRIAGE_RESPONSE with reason RETURN_TO_REFERRER_WITH_ADVICE
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CHANGE_SHORTLIST, CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE, CANCEL_REFERRAL"

  @A008 @A016 @A028 @A029 @req=JOURNEY-PROVIDER-TRIAGE
  Scenario: triage accepted for the provider to book later
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "triage" service, with no referral letter to come
    And the caller sends the referral for triage at the "triage" service
    Given the caller is a SERVICE_PROVIDER_CLINICIAN
    When the caller records the triage outcome ACCEPT_REFER_BOOK_LATER with comment "Book into the next clinic" and priority URGENT
    Then the response status is 200
    And the referral under test is now in state TRIAGED_PROVIDER_TO_ACTION with reason ACCEPT_REFER_BOOK_LATER
    When the caller fetches the REFERRALS_FOR_REVIEW worklist
    Then the worklist does not include the referral under test
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CANCEL_REFERRAL"
    Given the caller is a REFERRING_CLINICIAN
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CANCEL_REFERRAL"

  @A016 @A020 @A022 @A029 @req=JOURNEY-PROVIDER-ACTION-LATER
  Scenario: the appointment cancelled for the admin team to rebook later
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
    And the referral under test is booked at the "directlyBookable" service
    Given the caller is a SERVICE_PROVIDER_CLINICIAN
    And the caller has uploaded "rebooking-instructions.txt" as "text/plain" for the referral
    And the review attaches the file uploaded in this scenario
    When the caller cancels the appointment to action later with:
      | comments | Rebook with the hand team within four weeks |
      | priority | URGENT                                      |
    Then the response status is 200
    And the referral under test is now in state TRIAGED_PROVIDER_TO_ACTION with reason CANCEL_APPOINTMENT_ACTION_LATER
    And the referral's current appointment is proposed with reason CANCEL_APPOINTMENT_ACTION_LATER
    And the referral has 1 PROVIDER attachment
    When the caller fetches the REFERRALS_FOR_REVIEW worklist
    Then the worklist does not include the referral under test
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CANCEL_REFERRAL"

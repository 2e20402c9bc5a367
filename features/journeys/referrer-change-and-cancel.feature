@journey @stu3 @user-restricted @stateful
Feature: Referrer journeys: cancel the appointment, change the shortlist, cancel the referral
  A booked appointment is cancelled (A034, If-Match = the appointment's version from A038), the
  referral returns to the referrer (APPT_CANCELLED_BY_PATIENT), whose shortlist is changed (A031) and a
  new slot booked (A016). A referral cancellation (A036) is terminal: afterwards nothing is offered and
  no write succeeds (catalogue sections 7 and 8.1).

  @A016 @A038 @A034 @A031 @A029 @req=JOURNEY-REFERRER-CHANGE-SHORTLIST
  Scenario: cancel the appointment, change the shortlist, book again
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "directlyBookable" service
    And the referral under test is booked at the "directlyBookable" service
    When the caller retrieves the "just made" appointment
    Then the weak ETag equals the resource's meta.versionId
    When the caller cancels the "just made" appointment with reason "<cancellationReasons.appointment.byPatient>"
    Then the appointment is now cancelled at version 2
    And the referral under test is now in state APPT_CANCELLED_BY_PATIENT
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CREATE_APPOINTMENT, CHANGE_SHORTLIST, CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE, CANCEL_REFERRAL"
    When the caller changes the shortlist to the "noSlots" service
    Then the response status is 200
    And the referral under test is now in state NOT_BOOKED
    When the caller defers the referral to the "noSlots" service with reason NO_SLOTS_AT_SERVICE
    Then an appointment is created with status proposed
    And the referral under test is now in state DEFERRED_TO_PROVIDER

  @A016 @A036 @A029 @req=JOURNEY-REFERRER-CANCEL-REFERRAL
  Scenario: cancelling the referral is final
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "directlyBookable" service
    And the referral under test is booked at the "directlyBookable" service
    When the caller cancels the referral with reason "<cancellationReasons.referral.byReferrer>"
    Then the response is a Parameters resource holding the updatedAppointment Appointment
    And the referral under test is now in state CANCELLED_REFERRAL
    When the caller asks which actions it may take on the referral
    Then the actions offered are "none"
    When the caller changes the shortlist to the "indirectlyBookable" service
    Then the response status is 422
    And the response is an OperationOutcome with e-RS error code INVALID_REQUEST_STATE
    When the caller cancels the referral with reason "<cancellationReasons.referral.byReferrer>"
    Then the response is an OperationOutcome with e-RS error code INVALID_REQUEST_STATE

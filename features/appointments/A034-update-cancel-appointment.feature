@A034 @stu3 @user-restricted
Feature: A034 Update (cancel) appointment
  A referrer cancels the current, dated appointment of a referral booked to a directly bookable service
  by sending the appointment back (PUT /STU3/Appointment/{id}) with status cancelled and a reason from
  APPOINTMENT-CANCELLATION-REASON. If-Match carries the appointment's version from A038, not the
  referral's. The provider's PAS cancels it; the referral becomes APPT_CANCELLED_BY_PATIENT or
  APPT_CANCELLED_BY_PROVIDER by the reason's type (catalogue section 2, A034; lifecycle 8.1/8.2;
  versioning 7). Requirements: A034-OP and each documented A034 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: cancelling the appointment moves the referral back to be rebooked

    @stateful @req=A034-OP
    Scenario Outline: cancelling for a reason given by the <who>
      Given a new referral shortlisting the "directlyBookable" service
      And the referral under test is booked at the "directlyBookable" service
      When the caller cancels the "just made" appointment with reason "<reason>" and comment "<comment>"
      Then the appointment is now cancelled at version 2
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1"
      And the referral under test is now in state <state>

      Examples:
        | who      | reason                                           | comment               | state                      |
        | patient  | <cancellationReasons.appointment.byPatient>      | unwell that day       | APPT_CANCELLED_BY_PATIENT  |
        | provider | <cancellationReasons.appointment.byProvider>     | clinic moved by a day | APPT_CANCELLED_BY_PROVIDER |

  Rule: the write must carry the appointment's current version, and waits for other writes

    @negative @stateful
    Scenario Outline: If-Match <why>
      Given a new referral shortlisting the "directlyBookable" service
      And the referral under test is booked at the "directlyBookable" service
      And <precondition>
      When the caller cancels the "just made" appointment with reason "<cancellationReasons.appointment.byPatient>"
      Then the response status is <status> with <answer>

      @req=A034-ERR-HTTP412
      Examples: missing
        | precondition                                  | status | answer                   | why        |
        | the write names no version of what it changes | 412    | no documented error code | is missing |

      @error=VERSION_CONFLICT @req=A034-ERR-VERSION_CONFLICT
      Examples: stale
        | precondition                                       | status | answer                           | why                    |
        | the write names a stale version of what it changes | 409    | e-RS error code VERSION_CONFLICT | names an older version |

      @req=X-HDR-IF-MATCH
      Examples: malformed
        | precondition                                        | status | answer                        | why                |
        | the write sends If-Match without the weak ETag form | 400    | e-RS error code INVALID_VALUE | is not a weak ETag |

    @negative @stateful @error=REFERRAL_LOCKED @req=A034-ERR-REFERRAL_LOCKED
    Scenario: a cancellation while a cancellation of the referral holds it
      Given a new referral shortlisting the "slowPas" service
      And the referral under test is booked at the "slowPas" service
      When the referral's cancellation is still with the PAS as the caller cancels the appointment just made
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the cancellation that held the referral succeeded

  Rule: the reason and the appointment must allow a cancellation

    @negative @stateful
    Scenario Outline: a cancellation where <why>
      Given a new referral shortlisting the "directlyBookable" service
      And the referral under test is booked at the "directlyBookable" service
      When the caller cancels the "just made" appointment with reason "<reason>"
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_VALUE @req=A034-ERR-INVALID_VALUE
      Examples: not a cancellation reason
        | reason                                        | code          | why                                  |
        | <cancellationReasons.appointment.unknown>     | INVALID_VALUE | the reason is not in the code system |
        | <cancellationReasons.appointment.expired>     | INVALID_VALUE | the reason is no longer effective    |

      @error=INAPPROPRIATE_VALUE @req=A034-ERR-INAPPROPRIATE_VALUE
      Examples: a reason for something else
        | reason                                        | code                | why                               |
        | <cancellationReasons.appointment.rejectOnly>  | INAPPROPRIATE_VALUE | the reason is a provider rejection |

      @error=MISSING_VALUE @req=A034-ERR-MISSING_VALUE
      Examples: comment required
        | reason                                           | code          | why                                      |
        | <cancellationReasons.appointment.commentMandatory> | MISSING_VALUE | the reason needs a comment and has none  |

    @negative @error=UNEXPECTED_FIELD @req=A034-ERR-UNEXPECTED_FIELD
    Scenario: an element Appointment does not have
      Given the referral under test is the "bookedPasRefuses" referral
      And the appointment request says its colour is "red"
      When the caller cancels the "pasRefuses" appointment with reason "<cancellationReasons.appointment.byPatient>"
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

    @negative
    Scenario Outline: cancelling an appointment that <why>
      When the caller cancels the "<appointment>" appointment with reason "<cancellationReasons.appointment.byPatient>"
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_REQUEST_STATE @req=A034-ERR-INVALID_REQUEST_STATE
      Examples: not cancellable through the API
        | appointment | status | code                  | why                                      |
        | inThePast   | 422    | INVALID_REQUEST_STATE | is in the past                           |
        | bookedIbs   | 422    | INVALID_REQUEST_STATE | is at an indirectly bookable service     |

      @error=PATIENT_ERROR @req=A034-ERR-PATIENT_ERROR
      Examples: patient record
        | appointment      | status | code          | why                                          |
        | sensitivePatient | 422    | PATIENT_ERROR | is for a patient whose record cannot be used |

      @error=NO_RELATIONSHIP @req=A034-ERR-NO_RELATIONSHIP
      Examples: relationship
        | appointment            | status | code            | why                             |
        | noProviderRelationship | 422    | NO_RELATIONSHIP | belongs to another practice     |

      @error=UNABLE_TO_CANCEL_APPOINTMENT @req=A034-ERR-UNABLE_TO_CANCEL_APPOINTMENT
      Examples: the PAS refuses
        | appointment | status | code                         | why                             |
        | pasRefuses  | 422    | UNABLE_TO_CANCEL_APPOINTMENT | the provider's PAS will not cancel |

      @error=PAS_RESPONDED_WITH_ERROR @req=A034-ERR-PAS_RESPONDED_WITH_ERROR
      Examples: the PAS errors
        | appointment | status | code                     | why                                 |
        | pasError    | 502    | PAS_RESPONDED_WITH_ERROR | the provider's PAS answers an error |

      @error=PAS_NOT_RESPONDING @req=A034-ERR-PAS_NOT_RESPONDING
      Examples: the PAS is silent
        | appointment | status | code               | why                               |
        | pasTimeout  | 504    | PAS_NOT_RESPONDING | the provider's PAS does not answer |

    @negative @req=A034-ERR-HTTP404
    Scenario: an appointment e-RS does not hold
      When the caller cancels the "unknown" appointment with reason "<cancellationReasons.appointment.byPatient>"
      Then the response status is 404

    @negative @error=FORBIDDEN @req=A034-ERR-403-FORBIDDEN
    Scenario: a provider clinician may not cancel through A034
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller cancels the "bookedDbs" appointment with reason "<cancellationReasons.appointment.byPatient>"
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

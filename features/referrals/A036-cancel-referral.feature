@A036 @stu3
Feature: A036 Cancel referral
  A referrer, a provider, or a provider application cancels a referral with a reason from
  REFERRAL-CANCELLATION-REASON. It is terminal: status cancelled, state CANCELLED_REFERRAL, and a current
  booked appointment is cancelled in the same call through the provider's PAS. If-Match carries the
  referral's current version; the answer is a Parameters resource with the updated referral and, when
  one was cancelled, the appointment (catalogue section 2, A036; lifecycle 8.1; versioning 7).
  Requirements: A036-OP and each documented A036 error response.

  Rule: a cancelled referral is final

    @user-restricted @stateful @req=A036-OP
    Scenario Outline: <role> cancels an unbooked referral
      Given the caller is a <role>
      And a new referral shortlisting the "directlyBookable" service
      When the caller cancels the referral with reason "<cancellationReasons.referral.byReferrer>"
      Then the response is a Parameters resource holding the updatedReferralRequest ReferralRequest
      And the response has no updatedAppointment parameter
      And the referral under test is now in state CANCELLED_REFERRAL
      And the referral under test has status cancelled

      Examples:
        | role                      |
        | REFERRING_CLINICIAN       |
        | REFERRING_CLINICIAN_ADMIN |

    @user-restricted @stateful @req=A036-OP
    Scenario: cancelling a booked referral cancels its appointment too
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service
      And the referral under test is booked at the "directlyBookable" service
      When the caller cancels the referral with reason "<cancellationReasons.referral.commentMandatory>" and comment "patient moved away"
      Then the response is a Parameters resource holding the updatedAppointment Appointment
      And the referral under test is now in state CANCELLED_REFERRAL

    @user-restricted @stateful @req=A036-OP
    Scenario Outline: <role> cancels a referral booked at its service
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a <role>
      When the caller cancels the referral with reason "<cancellationReasons.referral.byProvider>"
      Then the response is a Parameters resource holding the updatedReferralRequest ReferralRequest
      And the referral under test is now in state CANCELLED_REFERRAL

      Examples:
        | role                       |
        | SERVICE_PROVIDER_CLINICIAN |

    @app-restricted @stateful @req=A036-OP
    Scenario: the provider application cancels a referral booked to its organisation
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service
      And the referral under test is booked at the "directlyBookable" service
      And the caller is the provider application
      When the caller cancels the referral with reason "<cancellationReasons.referral.byProvider>"
      Then the response is a Parameters resource holding the updatedReferralRequest ReferralRequest

  Rule: the write carries the current version and waits for other writes

    @user-restricted @negative @stateful
    Scenario Outline: If-Match <why>
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service
      And <precondition>
      When the caller cancels the referral with reason "<cancellationReasons.referral.byReferrer>"
      Then the response status is <status> with <answer>

      @req=A036-ERR-HTTP412
      Examples: missing
        | precondition                                  | status | answer                   | why        |
        | the write names no version of what it changes | 412    | no documented error code | is missing |

      @error=VERSION_CONFLICT @req=A036-ERR-VERSION_CONFLICT
      Examples: stale
        | precondition                                       | status | answer                           | why                    |
        | the write names a stale version of what it changes | 409    | e-RS error code VERSION_CONFLICT | names an older version |

    @user-restricted @negative @stateful @error=REFERRAL_LOCKED @req=A036-ERR-REFERRAL_LOCKED
    Scenario: a cancellation while a booking holds the referral
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "slowPas" service
      When a booking at the "slowPas" service is still with the PAS as the caller cancels the referral
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the booking that held the referral succeeded

  Rule: the reason must suit the caller, the referral and its appointment

    @user-restricted @negative
    Scenario Outline: cancelling the <referral> referral where <why>
      Given the caller is a <role>
      And the referral under test is the "<referral>" referral
      When the caller cancels the referral with reason "<reason>"
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=MISSING_VALUE @req=A036-ERR-MISSING_VALUE
      Examples: comment required
        | role                | referral | reason                                           | status | code          | why                              |
        | REFERRING_CLINICIAN | unbooked | <cancellationReasons.referral.commentMandatory>  | 422    | MISSING_VALUE | the reason needs a comment       |

      @error=INAPPROPRIATE_VALUE @req=A036-ERR-INAPPROPRIATE_VALUE
      Examples: reason not for this caller or referral
        | role                       | referral                | reason                                                | status | code                | why                                                  |
        | REFERRING_CLINICIAN        | unbooked                | <cancellationReasons.referral.unknown>                | 422    | INAPPROPRIATE_VALUE | the reason is not a referral cancellation reason     |
        | REFERRING_CLINICIAN        | unbooked                | <cancellationReasons.referral.byProvider>             | 422    | INAPPROPRIATE_VALUE | the reason is a provider's                           |
        | REFERRING_CLINICIAN        | bookedDbs               | <cancellationReasons.referral.cannotCancelAppointment> | 422    | INAPPROPRIATE_VALUE | the reason cannot cancel the current appointment     |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs               | <cancellationReasons.referral.providerTriage>         | 422    | INAPPROPRIATE_VALUE | a triage reason is used on a booked referral         |
        | SERVICE_PROVIDER_CLINICIAN | triagedProviderToAction | <cancellationReasons.referral.byProvider>             | 422    | INAPPROPRIATE_VALUE | a non-triage reason is used after triage             |

      @error=INVALID_REQUEST_STATE @req=A036-ERR-INVALID_REQUEST_STATE
      Examples: already cancelled
        | role                | referral  | reason                                     | status | code                  | why                  |
        | REFERRING_CLINICIAN | cancelled | <cancellationReasons.referral.byReferrer>  | 422    | INVALID_REQUEST_STATE | it is already cancelled |

      @error=PATIENT_ERROR @req=A036-ERR-PATIENT_ERROR
      Examples: patient record
        | role                | referral         | reason                                    | status | code          | why                      |
        | REFERRING_CLINICIAN | sensitivePatient | <cancellationReasons.referral.byReferrer> | 422    | PATIENT_ERROR | the record cannot be used |

      @error=NO_RELATIONSHIP @req=A036-ERR-NO_RELATIONSHIP
      Examples: another practice
        | role                | referral               | reason                                    | status | code            | why                            |
        | REFERRING_CLINICIAN | noProviderRelationship | <cancellationReasons.referral.byReferrer> | 422    | NO_RELATIONSHIP | another practice raised it     |

      @error=UNABLE_TO_CANCEL_APPOINTMENT @req=A036-ERR-UNABLE_TO_CANCEL_APPOINTMENT
      Examples: the PAS refuses
        | role                | referral         | reason                                    | status | code                         | why                                  |
        | REFERRING_CLINICIAN | bookedPasRefuses | <cancellationReasons.referral.byReferrer> | 422    | UNABLE_TO_CANCEL_APPOINTMENT | the PAS will not cancel the appointment |

      @error=PAS_RESPONDED_WITH_ERROR @req=A036-ERR-PAS_RESPONDED_WITH_ERROR
      Examples: the PAS errors
        | role                | referral       | reason                                    | status | code                     | why                     |
        | REFERRING_CLINICIAN | bookedPasError | <cancellationReasons.referral.byReferrer> | 502    | PAS_RESPONDED_WITH_ERROR | the PAS answers an error |

      @error=PAS_NOT_RESPONDING @req=A036-ERR-PAS_NOT_RESPONDING
      Examples: the PAS is silent
        | role                | referral         | reason                                    | status | code               | why                   |
        | REFERRING_CLINICIAN | bookedPasTimeout | <cancellationReasons.referral.byReferrer> | 504    | PAS_NOT_RESPONDING | the PAS does not answer |

      @req=A036-ERR-HTTP404
      Examples: unknown
        | role                | referral | reason                                    | status | code                | why              |
        | REFERRING_CLINICIAN | unknown  | <cancellationReasons.referral.byReferrer> | 404    | REFERENCE_NOT_FOUND | e-RS does not hold it |

    @user-restricted @negative @error=INAPPROPRIATE_VALUE @req=A036-ERR-INAPPROPRIATE_VALUE
    Scenario: a cancellation comment longer than 2000 characters
      Given the caller is a REFERRING_CLINICIAN
      And the referral under test is the "unbooked" referral
      When the caller cancels the referral with reason "<cancellationReasons.referral.byReferrer>" and a comment of 2001 characters
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INAPPROPRIATE_VALUE

    @user-restricted @negative @error=FORBIDDEN @req=A036-ERR-403-FORBIDDEN
    Scenario: a referring admin may not cancel referrals
      Given the caller is a REFERRING_ADMIN
      And the referral under test is the "unbooked" referral
      When the caller cancels the referral with reason "<cancellationReasons.referral.byReferrer>"
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

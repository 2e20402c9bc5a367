@A014 @stu3
Feature: A014 Reject referral
  A provider clinician (or a clinician admin acting for one) rejects a referral booked into one of its bookable
  services back to the referrer, with a PROVIDER_REJECT reason from APPOINTMENT-CANCELLATION-REASON and a comment
  when the reason needs one. The referral becomes REJECTED, the appointment is cancelled (through the PAS for a
  directly bookable service) and the referrer finds it on its REJECTED_TRIAGE_RESPONSE worklist. For an indirectly
  booked appointment the provider says whether it already cancelled it in its PAS (catalogue section 2, A014;
  lifecycle 8.1; versioning 7). Requirements: A014-OP and each documented A014 error response.

  Rule: a booked referral pending review goes back to the referrer with the reason

    @user-restricted @stateful @req=A014-OP
    Scenario Outline: a <role> rejects a referral booked at its service
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a <role>
      When the caller rejects the referral with reason "<rejectionReasons.commentMandatory>" and comment "please add the ECG trace"
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the response ETag equals the version of the referral read back
      And the referral under test is now in state REJECTED with reason <rejectionReasons.commentMandatory>
      And the referral's current appointment is cancelled with reason <rejectionReasons.commentMandatory>

      Examples:
        | role                             |
        | SERVICE_PROVIDER_CLINICIAN       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN |

    @user-restricted @stateful @req=A014-OP
    Scenario: the documented directly-booked rejection request
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller sends the prepared "dbs" A014 request for the referral under test
      Then the response status is 200
      And the referral under test is now in state REJECTED

    @user-restricted @sandbox @req=A014-OP
    Scenario Outline: the documented <request> rejection request (runnable against the NHS sandbox)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "rejectable" referral
      And the NHS sandbox's example answer is known to break "invariant:dom-4, array"
      When the caller sends the prepared "<request>" A014 request for the referral under test
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the response carries a weak ETag

      Examples:
        | request |
        | dbs     |
        | ibs     |

  Rule: the reason, comment and PAS flag follow the reference data and the booking

    @user-restricted @negative
    Scenario Outline: rejecting where <why>
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "<referral>" referral
      When the caller rejects the referral with reason "<reason>", comment "<comment>" and appointmentCancelledInPAS <in PAS>
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=FIELD_NOT_PERMITTED @req=A014-ERR-FIELD_NOT_PERMITTED
      Examples: a directly booked appointment is cancelled by e-RS itself
        | referral  | reason                                 | comment   | in PAS | code                | why                                                  |
        | bookedDbs | <rejectionReasons.commentMandatory>    | see notes | true   | FIELD_NOT_PERMITTED | appointmentCancelledInPAS is sent for a direct booking |

    @user-restricted @negative
    Scenario Outline: rejecting the <referral> referral where <why>
      Given the caller is a <role>
      And the referral under test is the "<referral>" referral
      When the caller rejects the referral with reason "<reason>" and comment "<comment>"
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=VALUE_IS_REQUIRED @req=A014-ERR-VALUE_IS_REQUIRED
      Examples: required by the reason or the booking
        | role                       | referral  | reason                                  | comment           | status | code              | why                                                             |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs | <rejectionReasons.commentMandatory>     | (absent)          | 422    | VALUE_IS_REQUIRED | the reason needs a comment                                      |
        | SERVICE_PROVIDER_CLINICIAN | bookedIbs | <rejectionReasons.serviceInappropriate> | see the notes     | 422    | VALUE_IS_REQUIRED | an indirect booking needs appointmentCancelledInPAS             |

      @error=INAPPROPRIATE_VALUE @req=A014-ERR-INAPPROPRIATE_VALUE
      Examples: not a rejection reason
        | role                       | referral  | reason                               | comment   | status | code                | why                                          |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs | <rejectionReasons.notProviderReject> | see notes | 422    | INAPPROPRIATE_VALUE | the reason is a patient's cancellation reason |

      @error=INVALID_CODE @req=A014-ERR-INVALID_CODE
      Examples: not a code
        | role                       | referral  | reason                     | comment   | status | code         | why                                          |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs | <rejectionReasons.unknown> | see notes | 422    | INVALID_CODE | the reason is not in the reference data       |

      @error=INVALID_VALUE @req=A014-ERR-INVALID_VALUE
      Examples: too long
        | role                       | referral  | reason                              | comment           | status | code          | why                                  |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs | <rejectionReasons.commentMandatory> | (2001 characters) | 422    | INVALID_VALUE | the comment is over 2000 characters  |

      @error=INVALID_REQUEST_STATE @req=A014-ERR-INVALID_REQUEST_STATE
      Examples: not pending review
        | role                             | referral        | reason                              | comment   | status | code                  | why                             |
        | SERVICE_PROVIDER_CLINICIAN       | awaitingTriage  | <rejectionReasons.commentMandatory> | see notes | 422    | INVALID_REQUEST_STATE | it awaits triage                |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedInThePast | <rejectionReasons.commentMandatory> | see notes | 422    | INVALID_REQUEST_STATE | its appointment date has passed |

      @error=PATIENT_ERROR @req=A014-ERR-PATIENT_ERROR
      Examples: patient record
        | role                             | referral               | reason                              | comment   | status | code          | why                       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedSensitivePatient | <rejectionReasons.commentMandatory> | see notes | 422    | PATIENT_ERROR | the record cannot be used |

      @error=NO_RELATIONSHIP @req=A014-ERR-NO_RELATIONSHIP
      Examples: another provider's booking
        | role                       | referral               | reason                              | comment   | status | code            | why                                  |
        | SERVICE_PROVIDER_CLINICIAN | noProviderRelationship | <rejectionReasons.commentMandatory> | see notes | 422    | NO_RELATIONSHIP | it is booked at another organisation |

      @error=UNABLE_TO_CANCEL_APPOINTMENT @req=A014-ERR-UNABLE_TO_CANCEL_APPOINTMENT
      Examples: the PAS refuses
        | role                             | referral         | reason                              | comment   | status | code                         | why                                     |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedPasRefuses | <rejectionReasons.commentMandatory> | see notes | 422    | UNABLE_TO_CANCEL_APPOINTMENT | the PAS will not cancel the appointment |

      @error=PAS_NOT_RESPONDING @req=A014-ERR-PAS_NOT_RESPONDING
      Examples: the PAS is silent
        | role                             | referral         | reason                              | comment   | status | code               | why                     |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedPasTimeout | <rejectionReasons.commentMandatory> | see notes | 504    | PAS_NOT_RESPONDING | the PAS does not answer |

      @req=A014-ERR-HTTP404
      Examples: unknown
        | role                       | referral | reason                              | comment   | status | code                | why                   |
        | SERVICE_PROVIDER_CLINICIAN | unknown  | <rejectionReasons.commentMandatory> | see notes | 404    | REFERENCE_NOT_FOUND | e-RS does not hold it |

    @user-restricted @negative
    Scenario Outline: a rejection request <why>
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "bookedDbs" referral
      When the caller sends a rejection request changed so that <change>
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=MISSING_VALUE @req=A014-ERR-MISSING_VALUE
      Examples: missing
        | change                     | code          | why                   |
        | it has no rejectionReason  | MISSING_VALUE | without its reason    |

      @error=UNEXPECTED_FIELD @req=A014-ERR-UNEXPECTED_FIELD
      Examples: unknown parameter
        | change                              | code             | why                                |
        | it carries an undefined parameter   | UNEXPECTED_FIELD | with a parameter e-RS does not know |

  Rule: the write carries the current version and waits for other writes

    @user-restricted @negative @stateful
    Scenario Outline: If-Match <why>
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      And <precondition>
      When the caller rejects the referral with reason "<rejectionReasons.commentMandatory>" and comment "see notes"
      Then the response status is <status> with <answer>

      @req=A014-ERR-HTTP412
      Examples: missing
        | precondition                                  | status | answer                   | why        |
        | the write names no version of what it changes | 412    | no documented error code | is missing |

      @error=VERSION_CONFLICT @req=A014-ERR-VERSION_CONFLICT
      Examples: stale
        | precondition                                       | status | answer                           | why                    |
        | the write names a stale version of what it changes | 409    | e-RS error code VERSION_CONFLICT | names an older version |

    @user-restricted @negative @stateful @error=REFERRAL_LOCKED @req=A014-ERR-REFERRAL_LOCKED
    Scenario: a second rejection while the first holds the referral at the PAS
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "slowPas" service, with no referral letter to come
      And the referral under test is booked at the "slowPas" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
      When the referral's rejection is still with the PAS as the caller rejects the referral too
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the rejection that held the referral succeeded

  Rule: only provider clinicians reject referrals

    @user-restricted @negative @error=FORBIDDEN @req=A014-ERR-403-FORBIDDEN
    Scenario Outline: a <role> may not reject referrals
      Given the caller is a <role>
      And the referral under test is the "bookedDbs" referral
      When the caller rejects the referral with reason "<rejectionReasons.commentMandatory>" and comment "see notes"
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      Examples:
        | role                   | why                               |
        | SERVICE_PROVIDER_ADMIN | an administrator, not a clinician |
        | REFERRING_CLINICIAN    | a referrer                        |

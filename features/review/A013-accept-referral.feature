@A013 @stu3
Feature: A013 Accept referral
  A provider clinician (or a clinician admin acting for one, or an approved provider application) accepts a
  referral booked into one of its bookable services once it has reviewed it. The referral stays BOOKED, its
  review is complete and it leaves the provider's REFERRALS_FOR_REVIEW worklist; If-Match carries the current
  version and the answer is the ReferralRequest with its new weak ETag (catalogue section 2, A013; lifecycle
  8.1; versioning 7). Requirements: A013-OP and each documented A013 error response.

  Rule: a booked referral pending review is accepted once

    @user-restricted @stateful @req=A013-OP
    Scenario Outline: a <role> accepts a referral booked at its service
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a <role>
      When the caller accepts the referral
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1"
      And the response ETag equals the version of the referral read back
      And the referral under test is now in state BOOKED
      When the caller fetches the REFERRALS_FOR_REVIEW worklist
      Then the worklist does not include the referral under test

      Examples:
        | role                             |
        | SERVICE_PROVIDER_CLINICIAN       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN |

    @app-restricted @stateful @req=A013-OP
    Scenario: the provider application accepts a referral booked at its organisation
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is the provider application
      When the caller accepts the referral
      Then the response status is 200
      And the response is a ReferralRequest resource

    @user-restricted @sandbox @req=A013-OP
    Scenario: the documented example referral is accepted (runnable against the NHS sandbox)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "acceptable" referral
      And the NHS sandbox's example answer is known to break "invariant:dom-4, array"
      When the caller accepts the referral
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the response carries a weak ETag

  Rule: only a booking into a bookable service, still pending review, can be accepted

    @user-restricted @negative @stateful @error=INVALID_REQUEST_STATE @req=A013-ERR-INVALID_REQUEST_STATE
    Scenario: a referral already accepted is no longer pending review
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      And the caller accepts the referral
      When the caller accepts the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_REQUEST_STATE

    @user-restricted @negative @stateful @error=INVALID_REQUEST_STATE @req=A013-ERR-INVALID_REQUEST_STATE
    Scenario: a referral whose letter is still to come cannot be reviewed
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller accepts the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_REQUEST_STATE

    @user-restricted @negative
    Scenario Outline: accepting the <referral> referral where <why>
      Given the caller is a <role>
      And the referral under test is the "<referral>" referral
      When the caller accepts the referral
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_REQUEST_STATE @req=A013-ERR-INVALID_REQUEST_STATE
      Examples: not a booking pending review
        | role                             | referral        | status | code                  | why                                          |
        | SERVICE_PROVIDER_CLINICIAN       | awaitingTriage  | 422    | INVALID_REQUEST_STATE | it awaits triage (record a triage outcome)   |
        | SERVICE_PROVIDER_CLINICIAN       | deferred        | 422    | INVALID_REQUEST_STATE | it was deferred to the provider              |
        | SERVICE_PROVIDER_CLINICIAN       | cancelled       | 422    | INVALID_REQUEST_STATE | it is cancelled                              |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedInThePast | 422    | INVALID_REQUEST_STATE | its appointment date has passed              |

      @error=PATIENT_ERROR @req=A013-ERR-PATIENT_ERROR
      Examples: patient record
        | role                             | referral               | status | code          | why                       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedSensitivePatient | 422    | PATIENT_ERROR | the record cannot be used |

      @error=NO_RELATIONSHIP @req=A013-ERR-NO_RELATIONSHIP
      Examples: another provider's booking
        | role                       | referral               | status | code            | why                                  |
        | SERVICE_PROVIDER_CLINICIAN | noProviderRelationship | 422    | NO_RELATIONSHIP | it is booked at another organisation |

      @req=A013-ERR-HTTP404
      Examples: unknown
        | role                       | referral | status | code                | why                   |
        | SERVICE_PROVIDER_CLINICIAN | unknown  | 404    | REFERENCE_NOT_FOUND | e-RS does not hold it |

  Rule: the write carries the current version and waits for other writes

    @user-restricted @negative @stateful
    Scenario Outline: If-Match <why>
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      And <precondition>
      When the caller accepts the referral
      Then the response status is <status> with <answer>

      @req=A013-ERR-HTTP412
      Examples: missing
        | precondition                                  | status | answer                   | why        |
        | the write names no version of what it changes | 412    | no documented error code | is missing |

      @error=VERSION_CONFLICT @req=A013-ERR-VERSION_CONFLICT
      Examples: stale
        | precondition                                       | status | answer                           | why                    |
        | the write names a stale version of what it changes | 409    | e-RS error code VERSION_CONFLICT | names an older version |

    @user-restricted @negative @stateful @req=A013-ERR-VERSION_CONFLICT @req=A013-ERR-REFERRAL_LOCKED
    Scenario: two accepts from the same version: exactly one wins
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller accepts the referral twice at once from the same version
      Then exactly one of the two changes succeeded and the other got 409 or 423

    @user-restricted @negative @stateful @error=REFERRAL_LOCKED @req=A013-ERR-REFERRAL_LOCKED
    Scenario: an accept while a rejection holds the referral at the PAS
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "slowPas" service, with no referral letter to come
      And the referral under test is booked at the "slowPas" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
      When the referral's rejection is still with the PAS as the caller accepts the referral
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the rejection that held the referral succeeded

  Rule: only provider clinicians accept referrals

    @user-restricted @negative @error=FORBIDDEN @req=A013-ERR-403-FORBIDDEN
    Scenario Outline: a <role> may not accept referrals
      Given the caller is a <role>
      And the referral under test is the "bookedDbs" referral
      When the caller accepts the referral
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      Examples:
        | role                   | why                                 |
        | SERVICE_PROVIDER_ADMIN | an administrator, not a clinician   |
        | REFERRING_CLINICIAN    | a referrer                          |

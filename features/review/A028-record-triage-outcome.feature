@A028 @stu3
Feature: A028 Record triage (review) outcome
  A provider clinician (or a clinician admin acting for one, or an approved provider application) records the outcome
  of reviewing a referral sent for triage or deferred to the provider: RETURN_TO_REFERRER_WITH_ADVICE sends it back
  to the referrer (TRIAGE_RESPONSE, on the referrer's REJECTED_TRIAGE_RESPONSE worklist, priority unchanged);
  ACCEPT_REFER_BOOK_LATER hands it to the provider's admin team (TRIAGED_PROVIDER_TO_ACTION, priority may change).
  PROVIDER attachments may go with the comments. A029 offers RECORD_REVIEW_OUTCOME exactly when this write is
  accepted (catalogue section 2, A028; lifecycle 8.1; attachments 8.4; versioning 7). Requirements: A028-OP and
  each documented A028 error response.

  Rule: each supported outcome moves a referral awaiting triage on

    @user-restricted @stateful @req=A028-OP
    Scenario Outline: a <role> returns a triage referral to the referrer with advice
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "triage" service, with no referral letter to come
      And the caller sends the referral for triage at the "triage" service
      And the caller is a <role>
      When the caller records the triage outcome RETURN_TO_REFERRER_WITH_ADVICE with comment "Start physiotherapy first"
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the response ETag equals the version of the referral read back
      And the referral under test is now in state TRIAGE_RESPONSE with reason RETURN_TO_REFERRER_WITH_ADVICE

      Examples:
        | role                             |
        | SERVICE_PROVIDER_CLINICIAN       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN |

    @user-restricted @stateful @req=A028-OP
    Scenario: a triage referral accepted to book later, at a higher priority, with a provider attachment
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "triage" service, with no referral letter to come
      And the caller sends the referral for triage at the "triage" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      And the caller has uploaded "triage-summary.txt" as "text/plain" for the referral
      And the review attaches the file uploaded in this scenario
      When the caller records the triage outcome ACCEPT_REFER_BOOK_LATER with comment "Book into the next clinic" and priority URGENT
      Then the response status is 200
      And the referral under test is now in state TRIAGED_PROVIDER_TO_ACTION with reason ACCEPT_REFER_BOOK_LATER
      And the referral's current appointment is proposed with reason ACCEPT_REFER_BOOK_LATER
      And the referral has 1 PROVIDER attachment

    @app-restricted @stateful @req=A028-OP
    Scenario: the provider application records the outcome of a triage referral
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "triage" service, with no referral letter to come
      And the caller sends the referral for triage at the "triage" service
      And the caller is the provider application
      When the caller records the triage outcome ACCEPT_REFER_BOOK_LATER with comment "Book within four weeks"
      Then the response status is 200
      And the response is a ReferralRequest resource

    @user-restricted @stateful @req=A028-OP
    Scenario Outline: the documented <request> request
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "triage" service, with no referral letter to come
      And the caller sends the referral for triage at the "triage" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller sends the prepared "<request>" A028 request for the referral under test
      Then the response status is 200
      And the referral under test is now in state <state>

      Examples:
        | request                    | state                      |
        | returnToReferrerWithAdvice | TRIAGE_RESPONSE            |
        | acceptReferBookLater       | TRIAGED_PROVIDER_TO_ACTION |

    @user-restricted @sandbox @req=A028-OP
    Scenario Outline: the documented <request> request (runnable against the NHS sandbox)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "rejectable" referral
      And the NHS sandbox's example answer is known to break "invariant:dom-4"
      When the caller sends the prepared "<request>" A028 request for the referral under test
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the response carries a weak ETag

      Examples:
        | request                    |
        | returnToReferrerWithAdvice |
        | acceptReferBookLater       |
        | attachmentIncluded         |

  Rule: the outcome, comments, priority and attachments are checked before anything changes

    @user-restricted @negative
    Scenario Outline: recording <outcome> for the <referral> referral where <why>
      Given the caller is a <role>
      And the referral under test is the "<referral>" referral
      When the caller records the triage outcome <outcome> with comment "<comment>"
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_CODE @req=A028-ERR-INVALID_CODE
      Examples: not an outcome
        | role                       | referral       | outcome        | comment | status | code         | why                                  |
        | SERVICE_PROVIDER_CLINICIAN | awaitingTriage | NOT_AN_OUTCOME | advice  | 422    | INVALID_CODE | the code is not in eRS-ReviewOutcome-1 |

      @error=INVALID_VALUE @req=A028-ERR-INVALID_VALUE
      Examples: an outcome the API does not record
        | role                       | referral       | outcome                         | comment | status | code          | why                                  |
        | SERVICE_PROVIDER_CLINICIAN | awaitingTriage | CANCEL_APPOINTMENT_ACTION_LATER | advice  | 422    | INVALID_VALUE | that outcome is recorded by A022     |

      @error=VALUE_IS_REQUIRED @req=A028-ERR-VALUE_IS_REQUIRED
      Examples: blank comments
        | role                       | referral       | outcome                        | comment | status | code              | why                    |
        | SERVICE_PROVIDER_CLINICIAN | awaitingTriage | RETURN_TO_REFERRER_WITH_ADVICE |         | 422    | VALUE_IS_REQUIRED | the comments are blank |

      @error=INVALID_REQUEST_STATE @req=A028-ERR-INVALID_REQUEST_STATE
      Examples: not awaiting review
        | role                       | referral                | outcome                 | comment | status | code                  | why                                          |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs               | ACCEPT_REFER_BOOK_LATER | advice  | 422    | INVALID_REQUEST_STATE | it is booked (accept or reject it instead)   |
        | SERVICE_PROVIDER_CLINICIAN | triagedProviderToAction | ACCEPT_REFER_BOOK_LATER | advice  | 422    | INVALID_REQUEST_STATE | its outcome is already recorded              |

      @error=INVALID_REQUEST_TYPE @req=A028-ERR-INVALID_REQUEST_TYPE
      Examples: an advice and guidance request
        | role                       | referral          | outcome                 | comment | status | code                 | why                                        |
        | SERVICE_PROVIDER_CLINICIAN | adviceAndGuidance | ACCEPT_REFER_BOOK_LATER | advice  | 422    | INVALID_REQUEST_TYPE | the UBRN is an advice and guidance request |

      @error=PATIENT_ERROR @req=A028-ERR-PATIENT_ERROR
      Examples: patient record
        | role                       | referral         | outcome                 | comment | status | code          | why                       |
        | SERVICE_PROVIDER_CLINICIAN | sensitivePatient | ACCEPT_REFER_BOOK_LATER | advice  | 422    | PATIENT_ERROR | the record cannot be used |

      @error=NO_RELATIONSHIP @req=A028-ERR-NO_RELATIONSHIP
      Examples: another provider's referral
        | role                       | referral               | outcome                 | comment | status | code            | why                                    |
        | SERVICE_PROVIDER_CLINICIAN | noProviderRelationship | ACCEPT_REFER_BOOK_LATER | advice  | 422    | NO_RELATIONSHIP | it is for another provider's service   |

      @req=A028-ERR-HTTP404
      Examples: unknown
        | role                       | referral | outcome                 | comment | status | code                | why                   |
        | SERVICE_PROVIDER_CLINICIAN | unknown  | ACCEPT_REFER_BOOK_LATER | advice  | 404    | REFERENCE_NOT_FOUND | e-RS does not hold it |

    @user-restricted @negative @error=MISSING_VALUE @req=A028-ERR-MISSING_VALUE
    Scenario: an outcome without review comments
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "awaitingTriage" referral
      When the caller records the triage outcome RETURN_TO_REFERRER_WITH_ADVICE without a comment
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

    @user-restricted @negative @error=PRIORITY_NOT_CURRENT @req=A028-ERR-PRIORITY_NOT_CURRENT
    Scenario: returning a referral to the referrer at another priority
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "awaitingTriage" referral
      When the caller records the triage outcome RETURN_TO_REFERRER_WITH_ADVICE with comment "see advice" and priority ROUTINE
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code PRIORITY_NOT_CURRENT

    @user-restricted @negative
    Scenario Outline: a review attachment that <why>
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "awaitingTriage" referral
      And the review attaches the "<document>" document
      And <tweak>
      When the caller records the triage outcome ACCEPT_REFER_BOOK_LATER with comment "see the attached note"
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INAPPROPRIATE_VALUE @req=A028-ERR-INAPPROPRIATE_VALUE
      Examples: not a provider attachment of this referral
        | document                      | tweak                                               | code                | why                                       |
        | providerNoteForAwaitingTriage | the review attachment's status is "superseded"      | INAPPROPRIATE_VALUE | is not current                            |
        | withoutReferralId             | the review attachment's description is "loose file" | INAPPROPRIATE_VALUE | was uploaded without NHSD-eRS-Referral-ID |

      @error=REFERENCE_NOT_FOUND @req=A028-ERR-REFERENCE_NOT_FOUND
      Examples: not this referral's file
        | document                 | tweak                                               | code                | why                                  |
        | unknown                  | the review attachment's description is "missing"    | REFERENCE_NOT_FOUND | is not in the document store         |
        | providerNoteForBookedDbs | the review attachment's description is "wrong UBRN" | REFERENCE_NOT_FOUND | was uploaded for another referral    |

      @error=INVALID_STATE @req=A028-ERR-INVALID_STATE
      Examples: already linked
        | document           | tweak                                          | code          | why                                   |
        | providerAttachment | the review attachment's description is "again" | INVALID_STATE | is already linked to another referral |

      @error=INVALID_VALUE @req=A028-ERR-INVALID_VALUE
      Examples: description too long
        | document                      | tweak                                                      | code          | why                                   |
        | providerNoteForAwaitingTriage | the review attachment's description is "(201 characters)" | INVALID_VALUE | has a description over 200 characters |

    @user-restricted @negative @error=DUPLICATE_FILENAME @req=A028-ERR-DUPLICATE_FILENAME
    Scenario: two review attachments with the same file name
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "awaitingTriage" referral
      And the review attaches the "providerNoteForAwaitingTriage" document
      And the review attaches the "providerNoteForAwaitingTriage" document
      When the caller records the triage outcome ACCEPT_REFER_BOOK_LATER with comment "see the attached notes"
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code DUPLICATE_FILENAME

  Rule: the write carries the current version and waits for other writes

    @user-restricted @negative @stateful
    Scenario Outline: If-Match <why>
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "triage" service, with no referral letter to come
      And the caller sends the referral for triage at the "triage" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      And <precondition>
      When the caller records the triage outcome ACCEPT_REFER_BOOK_LATER with comment "book later"
      Then the response status is <status> with <answer>

      @req=A028-ERR-HTTP412
      Examples: missing
        | precondition                                  | status | answer                   | why        |
        | the write names no version of what it changes | 412    | no documented error code | is missing |

      @error=VERSION_CONFLICT @req=A028-ERR-VERSION_CONFLICT
      Examples: stale
        | precondition                                       | status | answer                           | why                    |
        | the write names a stale version of what it changes | 409    | e-RS error code VERSION_CONFLICT | names an older version |

    @user-restricted @negative @stateful @error=REFERRAL_LOCKED @req=A028-ERR-REFERRAL_LOCKED
    Scenario: a triage outcome while a rejection holds the referral at the PAS
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "slowPas" service, with no referral letter to come
      And the referral under test is booked at the "slowPas" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
      When the referral's rejection is still with the PAS as the caller records a triage outcome
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the rejection that held the referral succeeded

  Rule: only provider clinicians record triage outcomes

    @user-restricted @negative @error=FORBIDDEN @req=A028-ERR-403-FORBIDDEN
    Scenario Outline: a <role> may not record triage outcomes
      Given the caller is a <role>
      And the referral under test is the "awaitingTriage" referral
      When the caller records the triage outcome ACCEPT_REFER_BOOK_LATER with comment "book later"
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      Examples:
        | role                   | why                               |
        | SERVICE_PROVIDER_ADMIN | an administrator, not a clinician |
        | REFERRING_CLINICIAN    | a referrer                        |

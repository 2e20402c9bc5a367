@A022 @stu3
Feature: A022 Cancel appointment, action later
  Instead of rejecting a booked referral, a provider clinician (or a clinician admin acting for one) cancels its
  appointment and asks the provider's own admin team to act: the referral becomes TRIAGED_PROVIDER_TO_ACTION with
  reason CANCEL_APPOINTMENT_ACTION_LATER and a proposed appointment carrying the instructions, optionally at a new
  priority and with PROVIDER attachments uploaded for it. For an indirectly booked appointment the provider says
  whether it already cancelled it in its PAS (catalogue section 2, A022; lifecycle 8.1; attachments 8.4;
  versioning 7). Requirements: A022-OP and each documented A022 error response.

  Rule: the appointment is cancelled and the provider's admin team takes the referral over

    @user-restricted @stateful @req=A022-OP
    Scenario Outline: a <role> cancels the appointment to action later
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a <role>
      When the caller cancels the appointment to action later with comment "Rebook with the hand team"
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the response ETag equals the version of the referral read back
      And the referral under test is now in state TRIAGED_PROVIDER_TO_ACTION with reason CANCEL_APPOINTMENT_ACTION_LATER
      And the referral's current appointment is proposed with reason CANCEL_APPOINTMENT_ACTION_LATER

      Examples:
        | role                             |
        | SERVICE_PROVIDER_CLINICIAN       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN |

    @user-restricted @stateful @req=A022-OP
    Scenario: a new priority and a provider attachment go with the instructions
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      And the caller has uploaded "rebooking-note.txt" as "text/plain" for the referral
      And the review attaches the file uploaded in this scenario
      When the caller cancels the appointment to action later with:
        | comments | Rebook urgently with the hand team |
        | priority | URGENT                             |
      Then the response status is 200
      And the referral has 1 PROVIDER attachment
      And the referral under test is now in state TRIAGED_PROVIDER_TO_ACTION

    @user-restricted @stateful @req=A022-OP
    Scenario: the documented minimal request for a directly booked appointment
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller sends the prepared "minimalDbs" A022 request for the referral under test
      Then the response status is 200
      And the referral under test is now in state TRIAGED_PROVIDER_TO_ACTION

    @user-restricted @sandbox @req=A022-OP
    Scenario Outline: the documented <request> request (runnable against the NHS sandbox)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "rejectable" referral
      And the NHS sandbox's example answer is known to break "invariant:dom-4"
      When the caller sends the prepared "<request>" A022 request for the referral under test
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the response carries a weak ETag

      Examples:
        | request                       |
        | minimalDbs                    |
        | minimalIbs                    |
        | priorityChangeWithAttachments |

  Rule: the instructions, PAS flag and attachments are checked before anything changes

    @user-restricted @negative
    Scenario Outline: cancelling to action later where <why>
      Given the caller is a <role>
      And the referral under test is the "<referral>" referral
      When the caller cancels the appointment to action later with:
        | comments                  | <comments> |
        | priority                  | <priority> |
        | appointmentCancelledInPAS | <in PAS>   |
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=MISSING_VALUE @req=A022-ERR-MISSING_VALUE
      Examples: no instructions
        | role                       | referral  | comments | priority | in PAS   | status | code          | why                          |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs | (absent) | (absent) | (absent) | 422    | MISSING_VALUE | there are no comments        |

      @error=INVALID_CODE @req=A022-ERR-INVALID_CODE
      Examples: not a priority
        | role                       | referral  | comments | priority   | in PAS   | status | code         | why                                 |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs | rebook   | NOT_URGENT | (absent) | 422    | INVALID_CODE | the priority is not in eRS-Priority-1 |

      @error=VALUE_IS_REQUIRED @req=A022-ERR-VALUE_IS_REQUIRED
      Examples: indirect booking without the PAS flag
        | role                       | referral  | comments | priority | in PAS   | status | code              | why                                                 |
        | SERVICE_PROVIDER_CLINICIAN | bookedIbs | rebook   | (absent) | (absent) | 422    | VALUE_IS_REQUIRED | an indirect booking needs appointmentCancelledInPAS |

      @error=FIELD_NOT_PERMITTED @req=A022-ERR-FIELD_NOT_PERMITTED
      Examples: direct booking with the PAS flag
        | role                       | referral  | comments | priority | in PAS | status | code                | why                                                   |
        | SERVICE_PROVIDER_CLINICIAN | bookedDbs | rebook   | (absent) | true   | 422    | FIELD_NOT_PERMITTED | appointmentCancelledInPAS is sent for a direct booking |

      @error=INVALID_REQUEST_STATE @req=A022-ERR-INVALID_REQUEST_STATE
      Examples: not pending review
        | role                             | referral        | comments | priority | in PAS   | status | code                  | why                             |
        | SERVICE_PROVIDER_CLINICIAN       | deferred        | rebook   | (absent) | (absent) | 422    | INVALID_REQUEST_STATE | it was deferred to the provider |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedInThePast | rebook   | (absent) | (absent) | 422    | INVALID_REQUEST_STATE | its appointment date has passed |

      @error=PATIENT_ERROR @req=A022-ERR-PATIENT_ERROR
      Examples: patient record
        | role                             | referral               | comments | priority | in PAS   | status | code          | why                       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedSensitivePatient | rebook   | (absent) | (absent) | 422    | PATIENT_ERROR | the record cannot be used |

      @error=NO_RELATIONSHIP @req=A022-ERR-NO_RELATIONSHIP
      Examples: another provider's booking
        | role                       | referral               | comments | priority | in PAS   | status | code            | why                                  |
        | SERVICE_PROVIDER_CLINICIAN | noProviderRelationship | rebook   | (absent) | (absent) | 422    | NO_RELATIONSHIP | it is booked at another organisation |

      @req=A022-ERR-HTTP404
      Examples: unknown
        | role                       | referral | comments | priority | in PAS   | status | code                | why                   |
        | SERVICE_PROVIDER_CLINICIAN | unknown  | rebook   | (absent) | (absent) | 404    | REFERENCE_NOT_FOUND | e-RS does not hold it |

    @user-restricted @negative
    Scenario Outline: a provider attachment that <why>
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "bookedDbs" referral
      And the review attaches the "<document>" document
      And <tweak>
      When the caller cancels the appointment to action later with comment "see the attached note"
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INAPPROPRIATE_VALUE @req=A022-ERR-INAPPROPRIATE_VALUE
      Examples: not a provider attachment of this referral
        | document                 | tweak                                                | code                | why                                        |
        | providerNoteForBookedDbs | the review attachment's type is "REFERRER"           | INAPPROPRIATE_VALUE | is typed as a referrer's letter            |
        | withoutReferralId        | the review attachment's description is "loose file"  | INAPPROPRIATE_VALUE | was uploaded without NHSD-eRS-Referral-ID  |

      @error=INVALID_VALUE @req=A022-ERR-INVALID_VALUE
      Examples: description too long
        | document                 | tweak                                                    | code          | why                                  |
        | providerNoteForBookedDbs | the review attachment's description is "(201 characters)" | INVALID_VALUE | has a description over 200 characters |

      @error=REFERENCE_NOT_FOUND @req=A022-ERR-REFERENCE_NOT_FOUND
      Examples: not in the document store
        | document | tweak                                            | code                | why                             |
        | unknown  | the review attachment's description is "missing" | REFERENCE_NOT_FOUND | is not in the document store    |

      @error=INVALID_STATE @req=A022-ERR-INVALID_STATE
      Examples: already linked
        | document           | tweak                                           | code          | why                                      |
        | providerAttachment | the review attachment's description is "again"  | INVALID_STATE | is already linked to another referral    |

    @user-restricted @negative @error=DUPLICATE_FILENAME @req=A022-ERR-DUPLICATE_FILENAME
    Scenario: two provider attachments with the same file name
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "bookedDbs" referral
      And the review attaches the "providerNoteForBookedDbs" document
      And the review attaches the "providerNoteForBookedDbs" document
      When the caller cancels the appointment to action later with comment "see the attached notes"
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code DUPLICATE_FILENAME

  Rule: the write carries the current version and waits for other writes

    @user-restricted @negative @stateful
    Scenario Outline: If-Match <why>
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      And <precondition>
      When the caller cancels the appointment to action later with comment "rebook"
      Then the response status is <status> with <answer>

      @req=A022-ERR-HTTP412
      Examples: missing
        | precondition                                  | status | answer                   | why        |
        | the write names no version of what it changes | 412    | no documented error code | is missing |

      @error=VERSION_CONFLICT @req=A022-ERR-VERSION_CONFLICT
      Examples: stale
        | precondition                                       | status | answer                           | why                    |
        | the write names a stale version of what it changes | 409    | e-RS error code VERSION_CONFLICT | names an older version |

    @user-restricted @negative @stateful @error=REFERRAL_LOCKED @req=A022-ERR-REFERRAL_LOCKED
    Scenario: cancelling to action later while a rejection holds the referral at the PAS
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "slowPas" service, with no referral letter to come
      And the referral under test is booked at the "slowPas" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
      When the referral's rejection is still with the PAS as the caller cancels the appointment to action later
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the rejection that held the referral succeeded

  Rule: only provider clinicians hand referrals to their admin team

    @user-restricted @negative @error=FORBIDDEN @req=A022-ERR-403-FORBIDDEN
    Scenario Outline: a <role> may not cancel appointments to action later
      Given the caller is a <role>
      And the referral under test is the "bookedDbs" referral
      When the caller cancels the appointment to action later with comment "rebook"
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      Examples:
        | role                   | why                               |
        | SERVICE_PROVIDER_ADMIN | an administrator, not a clinician |
        | REFERRING_CLINICIAN    | a referrer                        |

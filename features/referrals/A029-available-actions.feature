@A029 @stu3
Feature: A029 Available actions for user
  A referrer or provider asks which actions it may take on the current version of a referral
  (GET /STU3/Task?focus=ReferralRequest/{ubrn}/_history/{n}&intent=proposal&status=ready). The answer is
  a searchset Bundle of Tasks coded from eRS-AvailableActionsForUser-1, computed by the same rules the
  write operations enforce; search validation failures are 400 (catalogue section 2, A029; lifecycle
  8.1). Requirements: A029-OP and each documented A029 error response.

  Rule: the actions follow the referral's state and the caller's role

    @user-restricted @req=A029-OP
    Scenario Outline: <role> on a <referral> referral may <actions>
      Given the caller is a <role>
      And the referral under test is the "<referral>" referral
      When the caller asks which actions it may take on the referral
      Then the actions offered are "<actions>"
      And the response is FHIR JSON

      Examples: referrer roles
        | role                      | referral        | actions                                                                             |
        | REFERRING_CLINICIAN       | unbooked        | CREATE_APPOINTMENT, CHANGE_SHORTLIST, CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE, CANCEL_REFERRAL |
        | REFERRING_CLINICIAN       | bookedDbs       | CANCEL_DIRECTLY_BOOKED_APPOINTMENT, CANCEL_REFERRAL                                 |
        | REFERRING_CLINICIAN_ADMIN | bookedIbs       | CANCEL_REFERRAL                                                                     |
        | REFERRING_CLINICIAN       | bookedInThePast | CANCEL_REFERRAL                                                                     |
        | REFERRING_CLINICIAN       | deferred        | CANCEL_REFERRAL                                                                     |
        | REFERRING_CLINICIAN       | rejected        | CHANGE_SHORTLIST, CHANGE_SHORTLIST_AND_SEND_FOR_TRIAGE, CANCEL_REFERRAL             |
        | REFERRING_CLINICIAN       | cancelled       | none                                                                                |

      Examples: provider roles
        | role                             | referral       | actions                                |
        | SERVICE_PROVIDER_CLINICIAN       | awaitingTriage | RECORD_REVIEW_OUTCOME, CANCEL_REFERRAL |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | awaitingTriage | RECORD_REVIEW_OUTCOME, CANCEL_REFERRAL |
        | SERVICE_PROVIDER_CLINICIAN       | bookedDbs      | CANCEL_REFERRAL                        |

    @app-restricted @req=A029-OP
    Scenario: the provider application on a referral booked to its organisation
      Given the caller is the provider application
      And the referral under test is the "bookedDbs" referral
      When the caller asks which actions it may take on the referral
      Then the actions offered are "CANCEL_REFERRAL"

    @user-restricted @stateful @req=A029-OP
    Scenario: the actions move with the referral
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service
      And the referral under test is booked at the "directlyBookable" service
      When the caller asks which actions it may take on the referral
      Then the actions offered are "CANCEL_DIRECTLY_BOOKED_APPOINTMENT, CANCEL_REFERRAL"

  Rule: the query must name the current version with intent proposal and status ready

    @user-restricted @negative
    Scenario Outline: a query where <why>
      Given the caller is a REFERRING_CLINICIAN
      And the referral under test is the "unbooked" referral
      When the caller asks which actions it may take with the query changed:
        | parameter   | value   |
        | <parameter> | <value> |
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code <code>

      @error=MISSING_PARAMETER @req=A029-ERR-MISSING_PARAMETER
      Examples: missing
        | parameter | value    | code              | why                  |
        | intent    | (absent) | MISSING_PARAMETER | intent is missing    |
        | status    | (absent) | MISSING_PARAMETER | status is missing    |

      @error=INVALID_VALUE @req=A029-ERR-INVALID_VALUE
      Examples: wrong values
        | parameter | value                   | code          | why                          |
        | intent    | order                   | INVALID_VALUE | intent is not proposal       |
        | status    | draft                   | INVALID_VALUE | status is not ready          |
        | focus     | <availableActions.focusWithoutVersion> | INVALID_VALUE | focus has no version |

      @error=REFERENCE_NOT_FOUND @req=A029-ERR-REFERENCE_NOT_FOUND
      Examples: unknown referral
        | parameter | value                                 | code                | why                          |
        | focus     | <availableActions.focusOfUnknownReferral> | REFERENCE_NOT_FOUND | the referral is not known |

    @user-restricted @negative @error=HISTORY_NOT_SUPPORTED @req=A029-ERR-HISTORY_NOT_SUPPORTED
    Scenario: a version that is no longer current
      Given the caller is a REFERRING_CLINICIAN
      And the referral under test is the "bookedDbs" referral
      And the write names a stale version of what it changes
      When the caller asks which actions it may take on the referral
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code HISTORY_NOT_SUPPORTED

    @user-restricted @negative @error=FORBIDDEN @req=A029-ERR-403-FORBIDDEN
    Scenario: a referring admin may not ask
      Given the caller is a REFERRING_ADMIN
      And the referral under test is the "unbooked" referral
      When the caller asks which actions it may take on the referral
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

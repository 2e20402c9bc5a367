@A021 @stu3 @user-restricted
Feature: A021 Create referral and send for triage
  Deprecated (use A011 + A016): a referrer creates a referral for exactly one service that supports the
  triage request flow and sends it for triage in one call. The shared create-request table of A011
  applies, plus: one service only, letter intention NEED_TO_ADD_LATER, first reminder after 0 days. The
  new UBRN is AWAITING_TRIAGE with a proposed TRIAGE appointment (catalogue section 2, A021; lifecycle
  8.1). Requirements: A021-OP and each documented A021 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: the new referral goes straight to triage

    @stateful @req=A021-OP
    Scenario Outline: a <role> creates a referral for triage
      Given the caller is a <role>
      When the caller creates a referral for triage at the "triage" service
      Then the response status is 201
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1"
      And the weak ETag equals the resource's meta.versionId
      And the referral is in state AWAITING_TRIAGE
      And the referral under test is now in state AWAITING_TRIAGE

      Examples:
        | role                      |
        | REFERRING_CLINICIAN       |
        | REFERRING_CLINICIAN_ADMIN |

  Rule: the triage rules on top of the A011 table

    @negative @error=TOO_MANY_ITEMS @req=A021-ERR-TOO_MANY_ITEMS
    Scenario: two services
      When the caller creates a referral for triage at the "triage, directlyBookable" services
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code TOO_MANY_ITEMS

    @negative @error=INAPPROPRIATE_VALUE @req=A021-ERR-INAPPROPRIATE_VALUE
    Scenario: a service that does not take triage requests
      When the caller creates a referral for triage at the "directlyBookable" service
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INAPPROPRIATE_VALUE

    @negative @error=INAPPROPRIATE_VALUE @req=A021-ERR-INAPPROPRIATE_VALUE
    Scenario Outline: a triage request that <why>
      Given the triage request intends <intention> with the first reminder after <days> days
      When the caller creates a referral for triage at the "triage" service
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      Examples:
        | intention            | days | code                | why                               |
        | NOT_INTENDING_TO_ADD | 0    | INAPPROPRIATE_VALUE | intends no referral letter        |
        | NEED_TO_ADD_LATER    | 7    | INAPPROPRIATE_VALUE | sets a first reminder after 7 days |

    @negative @error=DUPLICATE_SERVICE @req=A021-ERR-DUPLICATE_SERVICE
    Scenario: the triage service twice
      When the caller creates a referral for triage at the "triage, triage" services
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code DUPLICATE_SERVICE

    @negative @error=SHORTLISTED_SERVICE_NOT_IN_RESULTS @req=A021-ERR-SHORTLISTED_SERVICE_NOT_IN_RESULTS
    Scenario: a service the search did not find
      When the caller creates a referral for triage at the "triage, notInResults" services
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code SHORTLISTED_SERVICE_NOT_IN_RESULTS

    @negative @error=FORBIDDEN @req=A021-ERR-403-FORBIDDEN
    Scenario: a referring admin may not create referrals
      Given the caller is a REFERRING_ADMIN
      When the caller creates a referral for triage at the "triage" service
      Then the response status is 403

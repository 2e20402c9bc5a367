@A015 @stu3 @user-restricted
Feature: A015 Retrieve appointment slots
  A referrer asks for the free slots of one directly bookable service on a referral's shortlist
  (GET /STU3/Slot), passing the referral's commissioning rule organisation in NHSD-eRS-Comm-Rule-Org.
  The answer is a paged searchset Bundle of Slots with their Schedules, with or without a named
  clinician; search validation failures are 400 OperationOutcomes (catalogue section 2, A015, and
  section 6). Requirements: A015-OP and each documented A015 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: free slots come back a page at a time, with their schedules

    @req=A015-OP
    Scenario: the first page of free slots at a directly bookable service
      When the caller searches for free slots at the "directlyBookable" service with:
        | parameter | value |
        | _count    | 5     |
      Then the response is a searchset Bundle of 5 free slots
      And the response is FHIR JSON
      And each slot's schedule is included
      And the slots include schedules with and without a named clinician
      And the bundle links to the next page
      And the response echoes the request's X-Correlation-ID

    @req=A015-OP
    Scenario: a later page links back to the previous one
      When the caller searches for free slots at the "directlyBookable" service with:
        | parameter | value         |
        | _count    | 5             |
        | page      | 2             |
        | _include  | Slot:schedule |
      Then the response is a searchset Bundle of 5 free slots
      And the bundle links to the previous page

    @req=A015-OP
    Scenario: only a named clinician's slots
      When the caller searches for free slots at the "directlyBookable" service with:
        | parameter                  | value            |
        | schedule.actor:Practitioner | <slots.clinician> |
      Then the response status is 200
      And every slot is with the "<slots.clinician>" clinician

    @req=A015-OP
    Scenario: a referring clinician admin searches a service that has no free slots: page 1 is empty, not an error
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      When the caller searches for free slots at the "noSlots" service
      Then the response is a searchset Bundle of 0 free slots

  Rule: search parameters are validated with 400 OperationOutcomes

    @negative
    Scenario Outline: a search where <why>
      When the caller searches for free slots at the "directlyBookable" service with:
        | parameter   | value   |
        | <parameter> | <value> |
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code <code>

      @error=MISSING_PARAMETER @req=A015-ERR-MISSING_PARAMETER
      Examples: a mandatory parameter is missing
        | parameter                        | value    | code              | why                                   |
        | schedule.actor:HealthcareService | (absent) | MISSING_PARAMETER | the service is not named              |
        | appointmentType                  | (absent) | MISSING_PARAMETER | the priority is not given             |
        | status                           | (absent) | MISSING_PARAMETER | the slot status is not given          |
        | _count                           | (absent) | MISSING_PARAMETER | the page size is not given            |
        | page                             | (absent) | MISSING_PARAMETER | the page is not given                 |

      @error=INVALID_CODE @req=A015-ERR-INVALID_CODE
      Examples: a code outside its value set
        | parameter       | value | code         | why                                  |
        | status          | open  | INVALID_CODE | the status is not a slot status      |
        | appointmentType | SOON  | INVALID_CODE | the priority is not an e-RS priority |

      @error=INVALID_VALUE @req=A015-ERR-INVALID_VALUE
      Examples: a value outside its range
        | parameter                   | value                | code          | why                                             |
        | status                      | busy                 | INVALID_VALUE | only free slots can be searched                 |
        | _count                      | 0                    | INVALID_VALUE | the page size is below 1                        |
        | _count                      | 101                  | INVALID_VALUE | the page size is above 100                      |
        | page                        | 99                   | INVALID_VALUE | the page is beyond the last one                 |
        | schedule.actor:Practitioner | <slots.notClinician> | INVALID_VALUE | the practitioner is not a clinician of the service |

    @negative
    Scenario Outline: slots of a service that <why>
      When the caller searches for free slots at the "<service>" service
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code <code>

      @error=REFERENCE_NOT_FOUND @req=A015-ERR-REFERENCE_NOT_FOUND
      Examples: unknown
        | service | code                | why                   |
        | unknown | REFERENCE_NOT_FOUND | has never existed     |

      @error=SERVICE_UNAVAILABLE @req=A015-ERR-SERVICE_UNAVAILABLE
      Examples: withdrawn
        | service   | code                | why                              |
        | withdrawn | SERVICE_UNAVAILABLE | is no longer published           |

      @error=INVALID_STATE @req=A015-ERR-INVALID_STATE
      Examples: unbookable
        | service            | code          | why                               |
        | indirectlyBookable | INVALID_STATE | is not directly bookable          |
        | triage             | INVALID_STATE | is a triage (unbookable) service  |

    @negative @error=MISSING_HEADER @req=A015-ERR-MISSING_HEADER
    Scenario: the commissioning rule organisation header is mandatory
      Given the request omits the "NHSD-eRS-Comm-Rule-Org" header
      When the caller searches for free slots at the "directlyBookable" service
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code MISSING_HEADER

    @negative @error=INVALID_VALUE @req=A015-ERR-INVALID_VALUE
    Scenario: a commissioning rule organisation that is not active
      Given the request sends the "NHSD-eRS-Comm-Rule-Org" header as "<slots.closedCommRuleOrg>"
      When the caller searches for free slots at the "directlyBookable" service
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

  Rule: only referrers may search slots

    @negative @error=FORBIDDEN @req=A015-ERR-403-FORBIDDEN
    Scenario Outline: <role> may not search slots
      Given the caller is a <role>
      When the caller searches for free slots at the "directlyBookable" service
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

      Examples:
        | role                       | why                      |
        | REFERRING_ADMIN            | administrative role      |
        | SERVICE_PROVIDER_CLINICIAN | providers do not book    |

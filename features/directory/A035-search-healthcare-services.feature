@A035 @r4
Feature: A035 Search for healthcare services
  A referrer reads several e-RS services at once from the R4 directory by id (_id, a comma-separated list of
  1 to 20 ids) and gets a UK Core searchset Bundle of eRS-HealthcareService entries; ids that name no service
  are simply not matched. Referring clinicians and admins, and referrer applications, may call it (catalogue
  section 2, A035; section 5). The catalogue documents no paging or _count for this search. Requirements:
  A035-OP and each documented A035 error response.

  @user-restricted @sandbox @req=A035-OP
  Scenario Outline: a <role> reads services by id
    Given the caller is a <role>
    When the caller searches for the R4 healthcare services "<directory.searchIds>"
    Then the response status is 200
    And the response is FHIR JSON
    And the response is a searchset Bundle of 2 HealthcareService resources
    And the Bundle holds the HealthcareServices "<directory.searchIds>" in that order
    And the response echoes the request's X-Correlation-ID

    Examples:
      | role                      |
      | REFERRING_CLINICIAN       |
      | REFERRING_CLINICIAN_ADMIN |

  @app-restricted @sandbox @req=A035-OP
  Scenario: the referrer application searches without role headers
    Given the caller is the referrer application
    When the caller searches for the R4 healthcare services "<directory.searchIds>"
    Then the response status is 200
    And the response is a searchset Bundle of 2 HealthcareService resources

  @user-restricted @sandbox @req=A035-OP
  Scenario: ids that name no service give an empty searchset
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for the R4 healthcare services "<directory.emptySearchIds>"
    Then the response status is 200
    And the response is a searchset Bundle of 0 HealthcareService resources

  @user-restricted @req=A035-OP
  Scenario: unknown ids among known ones are left out, and each service is listed once
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for the R4 healthcare services "<directory.triageService>,<directory.unknownService>,<directory.service>,<directory.triageService>"
    Then the response status is 200
    And the Bundle holds the HealthcareServices "<directory.triageService>,<directory.service>" in that order

  @user-restricted @negative @error=REC_BAD_REQUEST @req=A035-ERR-REC_BAD_REQUEST
  Scenario Outline: a search <why> is a bad request
    Given the caller is a REFERRING_CLINICIAN
    When the caller searches for R4 healthcare services with the query "<query>"
    Then the response status is 400
    And the response is an R4 OperationOutcome with issue type <issue type> and code REC_BAD_REQUEST

    Examples:
      | why                              | query                                                                              | issue type |
      | without _id                      |                                                                                    | invalid    |
      | with an empty _id                | _id=                                                                               | invalid    |
      | with an id that is not a number  | _id=not-a-service                                                                  | invalid    |
      | with an empty item in the list   | _id=<directory.service>,,<directory.triageService>                                 | invalid    |
      | with _id repeated                | _id=<directory.service>&_id=<directory.triageService>                              | invalid    |
      | with more than 20 ids            | _id=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21                          | invalid    |
      | with a parameter A035 lacks      | _id=<directory.service>&_count=1                                                   | invalid    |

  @user-restricted @negative @error=REC_FORBIDDEN @req=A035-ERR-403-REC_FORBIDDEN
  Scenario Outline: a <role> may not search the directory
    Given the caller is a <role>
    When the caller searches for the R4 healthcare services "<directory.searchIds>"
    Then the response status is 403
    And the response is an R4 OperationOutcome with issue type forbidden and code REC_FORBIDDEN

    Examples:
      | role                       | why                                  |
      | SERVICE_PROVIDER_CLINICIAN | a provider role                      |
      | REFERRING_ADMIN            | administrative, not in the A035 list |

  @app-restricted @negative @error=REC_FORBIDDEN @req=A035-ERR-403-REC_FORBIDDEN
  Scenario: the provider application may not search the directory
    Given the caller is the provider application
    When the caller searches for the R4 healthcare services "<directory.searchIds>"
    Then the response status is 403
    And the response is an R4 OperationOutcome with issue type forbidden and code REC_FORBIDDEN

@A033 @r4
Feature: A033 Retrieve healthcare service
  A referrer reads one e-RS service from the R4 directory (eRS-HealthcareService): where it is, its appointment
  type, whether it is bookable, reviews referrals or gives advice, and how to contact it. The weak ETag is the
  record's meta.versionId, which A037 later compares. Referring clinicians and admins, and referrer
  applications, may call it (catalogue section 2, A033; section 5). Requirements: A033-OP and each documented
  A033 error response.

  @user-restricted @sandbox @req=A033-OP
  Scenario Outline: a <role> reads a directly bookable service
    Given the caller is a <role>
    When the caller retrieves the R4 healthcare service "<directory.service>"
    Then the response status is 200
    And the response is FHIR JSON
    And the HealthcareService is "<directory.service>"
    And the HealthcareService has a location, one appointment type and its request flows as characteristics
    And the HealthcareService characteristics include "BOOKABLE"
    And the HealthcareService characteristics include "DIRECTLY_BOOKABLE"
    And the weak ETag equals the resource's meta.versionId
    And the response echoes the request's X-Correlation-ID

    Examples:
      | role                      |
      | REFERRING_CLINICIAN       |
      | REFERRING_CLINICIAN_ADMIN |

  @user-restricted @profiles @req=A033-OP
  Scenario: the service record carries the cache header the catalogue names
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the R4 healthcare service "<directory.service>"
    Then the response status is 200
    And the response carries a weak ETag and Cache-Control
    And the response conforms to "https://fhir.nhs.uk/StructureDefinition/eRS-HealthcareService"

  @user-restricted @req=A033-OP
  Scenario Outline: a service with the <flow> flow says so in its characteristics
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the R4 healthcare service "<service>"
    Then the response status is 200
    And the HealthcareService characteristics include "<flow>"

    Examples:
      | service                     | flow                |
      | <directory.triageService>   | REVIEW              |
      | <directory.adviceService>   | ADVICE_AND_GUIDANCE |

  @app-restricted @sandbox @req=A033-OP
  Scenario: the referrer application reads a service without role headers
    Given the caller is the referrer application
    When the caller retrieves the R4 healthcare service "<directory.service>"
    Then the response status is 200
    And the HealthcareService is "<directory.service>"

  @user-restricted @negative @error=REC_NOT_FOUND @req=A033-ERR-REC_NOT_FOUND
  Scenario: an unknown service id is not found
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the R4 healthcare service "<directory.unknownService>"
    Then the response status is 404
    And the response is an R4 OperationOutcome with issue type not-found and code REC_NOT_FOUND
    And the OperationOutcome claims the profile "https://fhir.nhs.uk/StructureDefinition/NHSDigital-OperationOutcome"

  Rule: only referrers read the R4 directory (section 5: A033 RC, RCA; referrer applications)

    @user-restricted @negative @error=REC_FORBIDDEN @req=A033-ERR-403-REC_FORBIDDEN
    Scenario Outline: a <role> may not read a service
      Given the caller is a <role>
      When the caller retrieves the R4 healthcare service "<directory.service>"
      Then the response status is 403
      And the response is an R4 OperationOutcome with issue type forbidden and code REC_FORBIDDEN

      Examples:
        | role                             | why                                  |
        | SERVICE_PROVIDER_CLINICIAN       | a provider role                      |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | a provider role                      |
        | REFERRING_ADMIN                  | administrative, not in the A033 list |

    @app-restricted @negative @error=REC_FORBIDDEN @req=A033-ERR-403-REC_FORBIDDEN
    Scenario: the provider application may not read the directory
      Given the caller is the provider application
      When the caller retrieves the R4 healthcare service "<directory.service>"
      Then the response status is 403
      And the response is an R4 OperationOutcome with issue type forbidden and code REC_FORBIDDEN

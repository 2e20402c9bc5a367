@A004 @stu3
Feature: A004 Retrieve reference data
  e-RS publishes its reference sets (specialties, clinic types, priorities, cancellation and
  non-attendance reasons) as STU3 CodeSystems at /STU3/CodeSystem/{type}. Referrers and providers
  may read them in both access modes (catalogue section 2, A004; access rules in section 5).
  Requirements: A004-OP and each documented A004 error response.

  @user-restricted @sandbox @req=A004-OP
  Scenario Outline: <role> reads the <type> reference set
    Given the caller is a <role>
    When the caller retrieves the <type> code system
    Then the response status is 200
    And the response is FHIR JSON
    And the response is a CodeSystem resource
    And the resource claims the profile "<profile>"
    And the CodeSystem is the <type> reference set at this target
    And the CodeSystem has at least one concept
    And the response echoes the request's X-Correlation-ID
    And the response carries an X-Request-ID

    Examples: every reference set, as a referring clinician
      | role                | type                              | profile                                                                |
      | REFERRING_CLINICIAN | SPECIALTY                         | https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Specialty-CodeSystem-1 |
      | REFERRING_CLINICIAN | CLINIC-TYPE                       | http://hl7.org/fhir/StructureDefinition/shareablecodesystem             |
      | REFERRING_CLINICIAN | PRIORITY                          | http://hl7.org/fhir/StructureDefinition/shareablecodesystem             |
      | REFERRING_CLINICIAN | APPOINTMENT-CANCELLATION-REASON   | http://hl7.org/fhir/StructureDefinition/shareablecodesystem             |
      | REFERRING_CLINICIAN | REFERRAL-CANCELLATION-REASON      | http://hl7.org/fhir/StructureDefinition/shareablecodesystem             |
      | REFERRING_CLINICIAN | APPOINTMENT-NON-ATTENDANCE-REASON | http://hl7.org/fhir/StructureDefinition/shareablecodesystem             |

    Examples: every permitted business function
      | role                             | type      | profile                                                                |
      | REFERRING_CLINICIAN_ADMIN        | SPECIALTY | https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Specialty-CodeSystem-1 |
      | SERVICE_PROVIDER_CLINICIAN       | SPECIALTY | https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Specialty-CodeSystem-1 |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN | SPECIALTY | https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Specialty-CodeSystem-1 |

  @user-restricted @sandbox @req=A004-OP
  Scenario: reference data concepts say when they are in force
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the PRIORITY code system
    Then the response status is 200
    And every concept carries the property "effectiveFrom"

  @app-restricted @sandbox @req=A004-OP
  Scenario Outline: the <app> application reads reference data without role headers
    Given the caller is the <app> application
    When the caller retrieves the SPECIALTY code system
    Then the response status is 200
    And the response is a CodeSystem resource

    Examples:
      | app      |
      | provider |
      | referrer |

  @user-restricted @negative @sandbox @req=A004-ERR-HTTP404
  Scenario: an unknown reference set type is not found
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the code system named by intent "codeSystems.unknown"
    Then the response status is 404

  @user-restricted @negative @error=FORBIDDEN @req=A004-ERR-403-FORBIDDEN
  Scenario Outline: <role> may not read reference data
    Given the caller is a <role>
    When the caller retrieves the SPECIALTY code system
    Then the response status is 403
    And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

    Examples: roles the A004 table does not list
      | role                            | why                                        |
      | REFERRING_ADMIN                 | administrative role, not in the A004 roles |
      | SERVICE_PROVIDER_ADMIN          | administrative role, not in the A004 roles |
      | COMMISSIONER                    | not an e-RS API referrer or provider role  |
      | INFORMATION_ANALYST             | not an e-RS API referrer or provider role  |
      | BOOKING_MANAGER                 | not an e-RS API referrer or provider role  |
      | ADDITIONAL_REQUIREMENTS_MANAGER | not an e-RS API referrer or provider role  |

  @user-restricted @negative @authentication @error=NO_ACCESS @req=A004-ERR-403-NO_ACCESS
  Scenario: an application-only business function is refused in user-restricted mode
    Given the caller is a REFERRING_CLINICIAN
    And the request sends the "NHSD-eRS-Business-Function" header as "PROVIDER_AUTHORISED_APPLICATION"
    When the caller retrieves the SPECIALTY code system
    Then the response status is 403
    And the response is an OperationOutcome with issue type forbidden and e-RS error code NO_ACCESS

  @user-restricted @negative @authentication @req=A004-ERR-HTTP401
  Scenario Outline: a request <why> is unauthorised with an empty body
    Given the caller is a REFERRING_CLINICIAN
    And <token step>
    When the caller retrieves the SPECIALTY code system
    Then the response status is 401
    And the response body is empty
    And the response header "WWW-Authenticate" contains "invalid_token"
    And the response echoes the request's X-Correlation-ID

    Examples:
      | why                               | token step                                                   |
      | without an access token           | the request is sent without an access token                  |
      | with a token the target never issued | the request is sent with an access token the target never issued |

  @user-restricted @negative @req=A004-ERR-HTTP406
  Scenario: a caller that accepts only XML gets 406 Not Acceptable
    Given the caller is a REFERRING_CLINICIAN
    And the request sends the "Accept" header as "application/fhir+xml"
    When the caller retrieves the SPECIALTY code system
    Then the response status is 406
    And the response Content-Type is "text/plain"

  @user-restricted @negative @fault-injection @req=A004-ERR-HTTP429
  Scenario: when rate limited, the STU3 429 carries no payload
    Given the caller is a REFERRING_CLINICIAN
    And the target will answer the next A004 request with HTTP 429 and Retry-After 2
    And the harness does not retry rate-limited or unavailable reads
    When the caller retrieves the SPECIALTY code system
    Then the response status is 429
    And the response body is empty
    And the response header "Retry-After" contains "2"

  @user-restricted @fault-injection @req=A004-ERR-HTTP429
  Scenario: the harness honours Retry-After on a rate-limited read and succeeds
    Given the caller is a REFERRING_CLINICIAN
    And the target will answer the next A004 request with HTTP 429 and Retry-After 1
    When the caller retrieves the SPECIALTY code system
    Then the response status is 200
    And the read took 2 attempts

  @user-restricted @negative @fault-injection @req=A004-ERR-HTTP500
  Scenario: an unexpected server error is reported as HTTP 500
    Given the caller is a REFERRING_CLINICIAN
    And the target will answer the next A004 request with HTTP 500
    And the harness does not retry rate-limited or unavailable reads
    When the caller retrieves the SPECIALTY code system
    Then the response status is 500

  @user-restricted @negative @fault-injection @error=SYSTEM_UNAVAILABLE @req=A004-ERR-SYSTEM_UNAVAILABLE
  Scenario: an unavailable service answers 503 SYSTEM_UNAVAILABLE with Retry-After
    Given the caller is a REFERRING_CLINICIAN
    And the target will answer the next A004 request with HTTP 503 and Retry-After 5
    And the harness does not retry rate-limited or unavailable reads
    When the caller retrieves the SPECIALTY code system
    Then the response status is 503
    And the response is an OperationOutcome with issue type transient and e-RS error code SYSTEM_UNAVAILABLE
    And the response header "Retry-After" contains "5"

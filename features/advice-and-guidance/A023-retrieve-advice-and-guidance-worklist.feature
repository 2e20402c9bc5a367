@A023 @stu3 @user-restricted
Feature: A023 Retrieve advice and guidance requests worklist
  A provider fetches its A&G worklist ($ers.fetchworklist on CommunicationRequest, list ADVICE_AND_GUIDANCE_REQUESTS):
  the requests still in conversation at its services, each with its category and communicationRequestVersion.
  Provider roles only; the filters are validated as A008's (catalogue section 2, A023; 8.5).
  Requirements: A023-OP and each documented A023 error response.

  Background:
    Given the caller is a SERVICE_PROVIDER_CLINICIAN

  @sandbox @req=A023-OP
  Scenario Outline: <role> fetches the documented worklist request
    Given the caller is a <role>
    When the caller sends the prepared "adviceAndGuidanceRequests" A023 request
    Then the response status is 200
    And the response is a List resource
    And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-List-1"
    And every worklist item is an advice and guidance request with its category and version

    Examples:
      | role                             |
      | SERVICE_PROVIDER_CLINICIAN       |
      | SERVICE_PROVIDER_ADMIN           |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

  @stateful @req=A023-OP
  Scenario: a new request is on the worklist, awaiting the provider, at the version A024 reads
    Given a referrer has asked the "adviceAndGuidance" service for advice
    When the caller fetches the advice and guidance worklist
    Then the worklist lists the advice and guidance request under test as PROVIDER_RESPONSE_REQUIRED at its current version

  @stateful @req=A023-OP
  Scenario: a converted request leaves the worklist
    Given a referrer has asked the "adviceAndGuidance" service for advice
    And the caller converts the request to a referral
    When the caller fetches the advice and guidance worklist
    Then the worklist does not list the advice and guidance request under test

  @negative
  Scenario Outline: a worklist request where <why>
    Given an advice and guidance worklist request
    And the advice worklist request parameters are changed:
      | parameter   | value   |
      | <parameter> | <value> |
    When the caller fetches the advice and guidance worklist
    Then the response status is 422
    And the response is an OperationOutcome with e-RS error code <code>

    @error=REFERENCE_NOT_FOUND @req=A023-ERR-REFERENCE_NOT_FOUND
    Examples: unknown service
      | parameter | value                     | code                | why                              |
      | service   | <worklist.unknownService> | REFERENCE_NOT_FOUND | the service filter is not known  |

    @error=NO_RELATIONSHIP @req=A023-ERR-NO_RELATIONSHIP
    Examples: another trust's service
      | parameter | value                           | code            | why                                    |
      | service   | <worklist.otherProviderService> | NO_RELATIONSHIP | the service belongs to another provider |

    @error=MISSING_VALUE @req=A023-ERR-MISSING_VALUE
    Examples: no list type
      | parameter | value    | code          | why                    |
      | listType  | (absent) | MISSING_VALUE | the list type is missing |

    @error=INVALID_CODE @req=A023-ERR-INVALID_CODE
    Examples: a referral list
      | parameter | value                | code         | why                                   |
      | listType  | REFERRALS_FOR_REVIEW | INVALID_CODE | the list type is not an A&G list code |

    @error=INVALID_VALUE @req=A023-ERR-INVALID_VALUE
    Examples: unsupported indicator
      | parameter                  | value        | code          | why                                      |
      | specialtyAssignedIndicator | NOT_ASSIGNED | INVALID_VALUE | specialtyAssignedIndicator is NOT_ASSIGNED |

    @error=UNEXPECTED_FIELD @req=A023-ERR-UNEXPECTED_FIELD
    Examples: unknown parameter
      | parameter | value  | code             | why                            |
      | urgency   | urgent | UNEXPECTED_FIELD | a parameter A023 does not define |

  @negative @error=INVALID_FHIR_STRUCTURE @req=A023-ERR-INVALID_FHIR_STRUCTURE
  Scenario: the list type sent as a JSON array
    Given an advice and guidance worklist request
    And the advice worklist request parameter "listType" holds a list instead of a single value
    When the caller fetches the advice and guidance worklist
    Then the response status is 422
    And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

@A024 @stu3
Feature: A024 Retrieve advice and guidance request summary
  Either side reads an A&G request (eRS-CommunicationRequest-1): its category, whether the provider may convert
  it, the one-service shortlist and criteria; the weak ETag is its version. The _history read answers the
  current version only (catalogue section 2, A024 and A024-versioned; 7). Provider applications may read.
  Requirements: A024-OP, A024-versioned-OP and each documented error response of both.

  @user-restricted @sandbox @req=A024-OP
  Scenario Outline: <role> reads the request
    Given the caller is a <role>
    And the advice and guidance request under test is the "awaitingResponse" request
    When the caller reads the advice and guidance request
    Then the response is the advice and guidance request, PROVIDER_RESPONSE_REQUIRED
    And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-CommunicationRequest-1"
    And the weak ETag equals the resource's meta.versionId
    And the response echoes the request's X-Correlation-ID

    Examples:
      | role                             |
      | REFERRING_CLINICIAN              |
      | REFERRING_CLINICIAN_ADMIN        |
      | SERVICE_PROVIDER_CLINICIAN       |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

  @app-restricted @sandbox @req=A024-OP
  Scenario: the provider application reads the request without role headers
    Given the caller is the provider application
    And the advice and guidance request under test is the "awaitingResponse" request
    When the caller reads the advice and guidance request
    Then the response is the advice and guidance request, PROVIDER_RESPONSE_REQUIRED

  @user-restricted @sandbox @req=A024-versioned-OP
  Scenario: the current version is readable through its _history URL
    Given the caller is a REFERRING_CLINICIAN
    And the advice and guidance request under test is the "awaitingResponse" request
    When the caller reads the advice and guidance request by its _history URL
    Then the response is the advice and guidance request, PROVIDER_RESPONSE_REQUIRED
    And the weak ETag equals the resource's meta.versionId

  @user-restricted @negative @error=HISTORY_NOT_SUPPORTED @req=A024-versioned-ERR-HISTORY_NOT_SUPPORTED
  Scenario: an earlier version is not retrievable
    Given the caller is a REFERRING_CLINICIAN
    And the advice and guidance request under test is the "awaitingResponse" request
    And the read names an earlier version of the request
    When the caller reads the advice and guidance request by its _history URL
    Then the response status is 404
    And the response is an OperationOutcome with e-RS error code HISTORY_NOT_SUPPORTED

  @user-restricted @negative
  Scenario Outline: reading the <request> request as a <role>
    Given the caller is a <role>
    And the advice and guidance request under test is the "<request>" request
    When the caller reads the advice and guidance request
    Then the response status is <status>
    And the response is an OperationOutcome with e-RS error code <code>

    @error=PATIENT_ERROR @req=A024-ERR-PATIENT_ERROR
    Examples: a patient whose record cannot be used
      | role                | request          | status | code          |
      | REFERRING_CLINICIAN | sensitivePatient | 422    | PATIENT_ERROR |

    @error=INVALID_REQUEST_TYPE @req=A024-ERR-INVALID_REQUEST_TYPE
    Examples: a referral, not an A&G request
      | role                | request  | status | code                 |
      | REFERRING_CLINICIAN | referral | 422    | INVALID_REQUEST_TYPE |

    @error=NO_RELATIONSHIP @req=A024-ERR-NO_RELATIONSHIP
    Examples: raised at another practice to another trust
      | role                       | request        | status | code            |
      | REFERRING_CLINICIAN        | noRelationship | 422    | NO_RELATIONSHIP |
      | SERVICE_PROVIDER_CLINICIAN | noRelationship | 422    | NO_RELATIONSHIP |

    @req=A024-ERR-HTTP404
    Examples: unknown
      | role                | request | status | code                |
      | REFERRING_CLINICIAN | unknown | 404    | REFERENCE_NOT_FOUND |

  @user-restricted @negative
  Scenario Outline: the _history read of the <request> request
    Given the caller is a REFERRING_CLINICIAN
    And the advice and guidance request under test is the "<request>" request
    When the caller reads the advice and guidance request by its _history URL
    Then the response status is 422
    And the response is an OperationOutcome with e-RS error code <code>

    @error=PATIENT_ERROR @req=A024-versioned-ERR-PATIENT_ERROR
    Examples: a patient whose record cannot be used
      | request          | code          |
      | sensitivePatient | PATIENT_ERROR |

    @error=INVALID_REQUEST_TYPE @req=A024-versioned-ERR-INVALID_REQUEST_TYPE
    Examples: a referral
      | request  | code                 |
      | referral | INVALID_REQUEST_TYPE |

    @error=NO_RELATIONSHIP @req=A024-versioned-ERR-NO_RELATIONSHIP
    Examples: another practice
      | request        | code            |
      | noRelationship | NO_RELATIONSHIP |

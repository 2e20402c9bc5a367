@A043 @stu3
Feature: A043 Retrieve advice and guidance overview PDF
  Either side, or a provider application, downloads the overview of an A&G request and its whole conversation
  ($ers.generateCRI on CommunicationRequest, no body): a PDF named {ubrn}_Advice_And_Guidance_{timestamp}.pdf,
  which the harness opens with a real PDF parser (catalogue section 2, A043). A referral's UBRN is
  INVALID_REQUEST_TYPE (that is A007). The NHS sandbox answers any UBRN with its one iText PDF (about UBRN
  000049146177, adviceRequests.overviewPdf there). Requirements: A043-OP and each documented A043 error response.

  @user-restricted @sandbox @req=A043-OP
  Scenario Outline: <role> downloads the overview
    Given the caller is a <role>
    And the advice and guidance request under test is the "overviewPdf" request
    When the caller asks for the advice and guidance overview PDF
    Then the response is the overview PDF of the request, a reader can open it, and it names the UBRN

    Examples:
      | role                             |
      | REFERRING_CLINICIAN              |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

  @app-restricted @sandbox @req=A043-OP
  Scenario: the provider application downloads the overview
    Given the caller is the provider application
    And the advice and guidance request under test is the "overviewPdf" request
    When the caller asks for the advice and guidance overview PDF
    Then the response is the overview PDF of the request, a reader can open it, and it names the UBRN

  @user-restricted @negative
  Scenario Outline: the overview of the <request> request
    Given the caller is a REFERRING_CLINICIAN
    And the advice and guidance request under test is the "<request>" request
    When the caller asks for the advice and guidance overview PDF
    Then the response status is <status>
    And the response is an OperationOutcome with e-RS error code <code>

    @error=INVALID_REQUEST_TYPE @req=A043-ERR-INVALID_REQUEST_TYPE
    Examples: a referral
      | request  | status | code                 |
      | referral | 422    | INVALID_REQUEST_TYPE |

    @error=PATIENT_ERROR @req=A043-ERR-PATIENT_ERROR
    Examples: patient record
      | request          | status | code          |
      | sensitivePatient | 422    | PATIENT_ERROR |

    @error=NO_RELATIONSHIP @req=A043-ERR-NO_RELATIONSHIP
    Examples: another practice
      | request        | status | code            |
      | noRelationship | 422    | NO_RELATIONSHIP |

    @req=A043-ERR-HTTP404
    Examples: unknown
      | request | status | code                |
      | unknown | 404    | REFERENCE_NOT_FOUND |

@A025 @stu3
Feature: A025 Retrieve advice and guidance conversation
  Either side reads the messages of an A&G request (GET Communication?based-on=CommunicationRequest/{ubrn}/_history/{v}):
  a searchset Bundle of eRS-Communication-1, newest first, with the PractitionerRoles and DocumentReferences asked
  for by _include. based-on must name the current version; this search answers its business errors with 400
  (catalogue section 2, A025; 7). Not tagged @sandbox: the sandbox answers only based-on versions 1, 2, 6, 7 and 3
  of its examples, never the current version its own A024 reports (5). Requirements: A025-OP and each documented
  A025 error response.

  @user-restricted @req=A025-OP
  Scenario Outline: <role> reads the conversation of a request with its authors
    Given the caller is a <role>
    And the advice and guidance request under test is the "awaitingResponse" request
    When the caller reads the conversation
    Then the conversation holds, newest first, messages sent by "REQUESTER"
    And the conversation includes the PractitionerRole of its messages

    Examples:
      | role                             |
      | REFERRING_CLINICIAN              |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

  @app-restricted @req=A025-OP
  Scenario: the provider application reads the conversation
    Given the caller is the provider application
    And the advice and guidance request under test is the "responded" request
    When the caller reads the conversation
    Then the conversation holds, newest first, messages sent by "RESPONDER, REQUESTER"

  @user-restricted @negative @error=HISTORY_NOT_SUPPORTED @req=A025-ERR-HISTORY_NOT_SUPPORTED
  Scenario: based-on an earlier version
    Given the caller is a REFERRING_CLINICIAN
    And the advice and guidance request under test is the "awaitingResponse" request
    And the read names an earlier version of the request
    When the caller reads the conversation
    Then the response status is 404
    And the response is an OperationOutcome with e-RS error code HISTORY_NOT_SUPPORTED

  @user-restricted @negative
  Scenario Outline: the conversation of the <request> request as a <role>
    Given the caller is a <role>
    And the advice and guidance request under test is the "<request>" request
    When the caller reads the conversation
    Then the response status is 400
    And the response is an OperationOutcome with e-RS error code <code>

    @error=PATIENT_ERROR @req=A025-ERR-PATIENT_ERROR
    Examples: a patient whose record cannot be used
      | role                | request          | code          |
      | REFERRING_CLINICIAN | sensitivePatient | PATIENT_ERROR |

    @error=INVALID_REQUEST_TYPE @req=A025-ERR-INVALID_REQUEST_TYPE
    Examples: a referral
      | role                | request  | code                 |
      | REFERRING_CLINICIAN | referral | INVALID_REQUEST_TYPE |

    @error=NO_RELATIONSHIP @req=A025-ERR-NO_RELATIONSHIP
    Examples: another practice and trust
      | role                       | request        | code            |
      | SERVICE_PROVIDER_CLINICIAN | noRelationship | NO_RELATIONSHIP |

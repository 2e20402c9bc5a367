@authentication @stu3
Feature: Access tokens on e-RS calls
  Every e-RS call except to the sandbox carries "Authorization: Bearer" with a token from the token
  endpoint. The API proxy refuses a missing, empty, unknown or expired token before e-RS sees the call:
  on STU3 paths with 401 and an empty body, on R4 paths with 401 and an OperationOutcome; both carry a
  WWW-Authenticate invalid_token challenge (catalogue 10.3, first two rows; section 16 item 10).

  @user-restricted @req=X-HDR-AUTHORIZATION
  Scenario: a user-restricted call with a token from the CIS2 token exchange succeeds
    Given the caller is a REFERRING_CLINICIAN
    When the caller retrieves the "unbooked" referral
    Then the response status is 200
    And the request carried a bearer token, the caller's business function and ODS code, and no on-behalf-of header

  @app-restricted @req=X-AM-AR-HAPPY-PATH @req=X-AM-AR-NO-ROLE-HEADERS
  Scenario: an application-restricted call with a client-credentials token succeeds without role headers
    Given the caller is the provider application
    When the caller retrieves the "bookedDbs" referral
    Then the response status is 200
    And the request carried a bearer token and no NHSD-* role headers

  @negative @req=X-AUTH-STU3-NO-TOKEN @req=X-HDR-WWW-AUTHENTICATE @req=A005-ERR-HTTP401
  Scenario Outline: a call <why> is unauthorised with an empty body
    Given the caller is a <caller>
    And <token step>
    When the caller retrieves the "unbooked" referral
    Then the response status is 401
    And the response body is empty
    And the response header "WWW-Authenticate" contains "invalid_token"
    And the response echoes the request's X-Correlation-ID

    Examples:
      | why                                    | caller              | token step                                                       |
      | without an access token                | REFERRING_CLINICIAN | the request is sent without an access token                      |
      | with an empty bearer token             | REFERRING_CLINICIAN | the request is sent with an empty bearer token                   |
      | with a token the target never issued   | REFERRING_CLINICIAN | the request is sent with an access token the target never issued |
      | with a token that has expired          | REFERRING_CLINICIAN | the request is sent with an access token that has expired        |

  @app-restricted @negative @req=X-AUTH-STU3-NO-TOKEN @req=A005-ERR-HTTP401
  Scenario: an application's expired token is unauthorised too
    Given the caller is the provider application
    And the request is sent with an access token that has expired
    When the caller retrieves the "bookedDbs" referral
    Then the response status is 401
    And the response body is empty

  @r4 @negative @req=X-AUTH-R4-NO-TOKEN
  Scenario Outline: on R4 paths a call <why> gets an OperationOutcome
    Given the caller is a REFERRING_CLINICIAN
    And <token step>
    When the caller retrieves the R4 healthcare service "<services.directlyBookable>"
    Then the response status is 401
    And the response is an R4 OperationOutcome with issue type login and code ACCESS_DENIED
    And the OperationOutcome diagnostics read "Invalid access token"
    And the OperationOutcome claims the profile "https://www.hl7.org/fhir/R4/operationoutcome.html"
    And the response header "WWW-Authenticate" contains "invalid_token"

    Examples:
      | why                                  | token step                                                       |
      | without an access token              | the request is sent without an access token                      |
      | with a token the target never issued | the request is sent with an access token the target never issued |

  @app-restricted @negative @app-registration @req=X-AUTH-STU3-NO-TOKEN
  Scenario: a token of an app not subscribed to the e-RS product is unauthorised
    Given the caller is the unsubscribed application
    When the caller retrieves the "bookedDbs" referral
    Then the response status is 401
    And the response body is empty
    And the response header "WWW-Authenticate" contains "no apiproduct match found"

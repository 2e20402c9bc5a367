@AUTH-TOKEN @authentication @user-restricted
Feature: AUTH-TOKEN User-restricted token (CIS2 separate authentication, token exchange)
  A healthcare worker signs in to NHS CIS2; the supplier's system exchanges the CIS2 id_token for an
  e-RS access token at the token endpoint, authenticating itself with the same signed client assertion
  as application-restricted access (catalogue 10.2). e-RS accepts AAL2 and AAL3 logins of IAL3 users
  only; weaker logins get a token but every API call is refused (catalogue 10.3).

  @req=AUTH-TOKEN-OP @req=X-AUTH-TOKEN-RESPONSE
  Scenario: a CIS2 id_token is exchanged for an access token
    Given the caller is a REFERRING_CLINICIAN
    When the harness exchanges the caller's CIS2 id_token for an access token
    Then the token endpoint issues a Bearer access token with expires_in as a string of seconds
    And the token endpoint names the issued token type as an access token

  @negative @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST
  Scenario: an id_token CIS2 did not sign is refused
    Given the caller is a REFERRING_CLINICIAN
    When the harness exchanges an id_token that CIS2 did not sign
    Then the token endpoint answers 400 with OAuth error "invalid_request"

  @negative @req=AUTH-TOKEN-ERR-401-INVALID_REQUEST @req=X-AUTH-JWT-AUD
  Scenario: the exchange checks the client assertion like client credentials do
    Given the caller is a REFERRING_CLINICIAN
    When the harness exchanges the caller's CIS2 id_token with a client assertion that has "wrong aud"
    Then the token endpoint answers 401 with OAuth error "invalid_request" and description "Missing or invalid aud claim in JWT"

  @req=X-AUTH-ASSURANCE
  Scenario: an AAL2 login (authenticator app) is accepted
    Given the caller is a REFERRING_CLINICIAN
    And the caller signed in to CIS2 at AAL2
    When the caller retrieves the "unbooked" referral
    Then the response status is 200

  @negative @error=NO_ACCESS @req=X-AUTH-ASSURANCE @req=A005-ERR-401-NO_ACCESS
  Scenario: an AAL1 login is refused on every call
    Given the caller is a REFERRING_CLINICIAN
    And the caller signed in to CIS2 at AAL1
    When the caller retrieves the "unbooked" referral
    Then the response status is 401
    And the response is an OperationOutcome with issue type login and e-RS error code NO_ACCESS
    And the OperationOutcome diagnostics read "The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help."

  @negative @error=NO_ACCESS @req=X-AUTH-ASSURANCE @req=A005-ERR-401-NO_ACCESS
  Scenario: a user verified below IAL3 is refused on every call
    Given the caller is a REFERRING_CLINICIAN
    And the caller's CIS2 identity is verified only to IAL2
    When the caller retrieves the "unbooked" referral
    Then the response status is 401
    And the response is an OperationOutcome with issue type forbidden and e-RS error code NO_ACCESS
    And the OperationOutcome diagnostics read "We couldn't verify your identity. Contact your local Registration Authority or IT department for help."

  @negative @r4 @req=X-AUTH-ASSURANCE
  Scenario Outline: on R4 paths a <login> login is refused with ACCESS_DENIED
    Given the caller is a REFERRING_CLINICIAN
    And <assurance step>
    When the caller retrieves the R4 healthcare service "<services.directlyBookable>"
    Then the response status is 401
    And the response is an R4 OperationOutcome with issue type <issue type> and code ACCESS_DENIED

    Examples:
      | login | assurance step                                   | issue type |
      | AAL1  | the caller signed in to CIS2 at AAL1             | login      |
      | IAL2  | the caller's CIS2 identity is verified only to IAL2 | forbidden  |

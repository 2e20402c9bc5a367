@AUTH-TOKEN @authentication @app-restricted
Feature: AUTH-TOKEN Application-restricted token (signed JWT client credentials)
  An application authenticates at the NHS token endpoint with a client assertion: a JWT signed RS512
  with the private key whose public half is registered in the app's JWKS, naming the API key as iss
  and sub, the exact token URL as aud, a unique jti and an exp at most five minutes ahead. Every rule
  the identity service applies is provoked here with an assertion that breaks exactly one of them
  (catalogue sections 10.1 and 2 AUTH-TOKEN). The assertions are built by src/auth, never by hand.

  @req=AUTH-TOKEN-OP @req=X-AUTH-TOKEN-RESPONSE
  Scenario: a valid client assertion is exchanged for a Bearer access token
    When the harness requests an application-restricted token with a valid client assertion
    Then the token endpoint issues a Bearer access token with expires_in as a string of seconds

  @negative @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST @req=X-AUTH-JWT-ALG
  Scenario Outline: an assertion signed with <alg> is refused
    When the harness requests an application-restricted token with a client assertion that has "alg <alg>"
    Then the token endpoint answers 400 with OAuth error "invalid_request" and description "Invalid 'alg' header in JWT - unsupported JWT algorithm - must be 'RS512'"

    Examples: algorithms other than RS512
      | alg   | why                                     |
      | RS256 | right key type, wrong hash              |
      | HS512 | a shared secret instead of the key pair |

  @negative @req=X-AUTH-JWT-KID
  Scenario Outline: the key id must name a registered public key (<why>)
    When the harness requests an application-restricted token with a client assertion that has "<defect>"
    Then the token endpoint answers <status> with OAuth error "invalid_request" and description "<description>"

    @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST
    Examples: no kid at all
      | defect | status | description                   | why              |
      | no kid | 400    | Missing 'kid' header in JWT    | header has no kid |

    @req=AUTH-TOKEN-ERR-401-INVALID_REQUEST
    Examples: a kid the JWKS does not hold
      | defect      | status | description                                          | why                       |
      | unknown kid | 401    | Invalid 'kid' header in JWT - no matching public key | kid not in registered JWKS |

  @negative @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST
  Scenario: the JWT type header must be JWT
    When the harness requests an application-restricted token with a client assertion that has "typ not JWT"
    Then the token endpoint answers 400 with OAuth error "invalid_request" and description "Invalid 'typ' header in JWT - must be 'JWT'"

  @negative @req=X-AUTH-JWT-ISS-SUB
  Scenario Outline: iss and sub must both be the API key (<why>)
    When the harness requests an application-restricted token with a client assertion that has "<defect>"
    Then the token endpoint answers <status> with OAuth error "invalid_request" and description "<description>"

    @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST
    Examples: missing or different iss
      | defect      | status | description                                   | why                        |
      | no iss      | 400    | Missing or non-matching iss/sub claims in JWT | iss left out               |
      | iss not sub | 400    | Missing or non-matching iss/sub claims in JWT | iss differs from sub        |

    @req=AUTH-TOKEN-ERR-401-INVALID_REQUEST
    Examples: an API key the platform does not know
      | defect         | status | description                   | why                       |
      | unknown client | 401    | Invalid iss/sub claims in JWT | iss = sub = unknown app    |

  @negative @req=AUTH-TOKEN-ERR-401-INVALID_REQUEST @req=X-AUTH-JWT-AUD
  Scenario Outline: aud must be the exact token URL (<why>)
    When the harness requests an application-restricted token with a client assertion that has "<defect>"
    Then the token endpoint answers 401 with OAuth error "invalid_request" and description "Missing or invalid aud claim in JWT"

    Examples:
      | defect    | why                          |
      | wrong aud | another environment's URL    |
      | no aud    | aud left out                 |

  @negative @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST @req=X-AUTH-JWT-JTI
  Scenario Outline: every assertion carries a string jti (<why>)
    When the harness requests an application-restricted token with a client assertion that has "<defect>"
    Then the token endpoint answers 400 with OAuth error "invalid_request" and description "<description>"

    Examples:
      | defect      | description               | why              |
      | no jti      | Missing jti claim in JWT  | jti left out     |
      | numeric jti | Failed to decode JWT      | jti is a number  |

  @negative @stateful @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST @req=X-AUTH-JWT-JTI
  Scenario: a jti is good for one token request only
    When the harness requests two application-restricted tokens whose client assertions share one jti
    Then the first token request was granted
    And the token endpoint answers 400 with OAuth error "invalid_request" and description "Non-unique jti claim in JWT"

  @negative @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST @req=X-AUTH-JWT-EXP
  Scenario Outline: exp must be in the future and at most five minutes ahead (<why>)
    When the harness requests an application-restricted token with a client assertion that has "<defect>"
    Then the token endpoint answers 400 with OAuth error "invalid_request" and description "<description>"

    Examples:
      | defect                        | description                                              | why                 |
      | no exp                        | Missing exp claim in JWT                                 | exp left out        |
      | expired exp                   | Invalid exp claim in JWT - JWT has expired               | two minutes ago     |
      | exp more than 5 minutes ahead | Invalid exp claim in JWT - more than 5 minutes in future | ten minutes ahead   |

  @negative @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST
  Scenario: an assertion that is not a JWT is refused
    When the harness requests an application-restricted token with a client assertion that has "malformed"
    Then the token endpoint answers 400 with OAuth error "invalid_request" and description "Malformed JWT in client_assertion"

  @negative
  Scenario Outline: the token request itself must be complete (<defect>)
    When the harness sends a token request with "<defect>"
    Then the token endpoint answers 400 with OAuth error "<error>"

    @req=AUTH-TOKEN-ERR-400-UNSUPPORTED_GRANT_TYPE
    Examples: grant type
      | defect              | error                  |
      | no grant_type       | unsupported_grant_type |
      | grant_type password | unsupported_grant_type |

    @req=AUTH-TOKEN-ERR-400-INVALID_REQUEST
    Examples: client assertion fields
      | defect                                      | error           |
      | no client_assertion_type                    | invalid_request |
      | a client_assertion_type other than jwt-bearer | invalid_request |
      | no client_assertion                         | invalid_request |

  @negative @app-registration @req=AUTH-TOKEN-ERR-PUBLIC_KEY_ERROR
  Scenario: an app with no registered JWKS cannot get a token
    Given the caller is the noJwks application
    When the harness requests an application-restricted token with a valid client assertion
    Then the token endpoint answers 403 with OAuth error "public_key error"

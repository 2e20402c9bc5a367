@r4 @negative
Feature: Platform and proxy errors of the R4 operations
  On /FHIR/R4/ paths the API platform and e-RS answer every generic failure with an NHSDigital-OperationOutcome
  (coding systems NHSD-API-ErrorOrWarningCode or http-error-codes) instead of the STU3 shapes: a missing token
  is 401 login ACCESS_DENIED with a body, a refused role or organisation is 403 ACCESS_DENIED, a representation
  e-RS cannot give is 406 REC_NOT_ACCEPTABLE, a rate limit is 429 throttled TOO_MANY_REQUESTS, failures are 500
  REC_SERVER_ERROR and 503 REC_UNAVAILABLE (catalogue section 6, R4 column, and section 10.3). A037 is a HEAD
  request, so its errors carry the status and headers only. Each scenario sends the operation's representative
  request (src/ers/sample-requests.ts), well-formed but for the one defect under test. Requirements: the
  {op}-ERR-401-ACCESS_DENIED, -403-ACCESS_DENIED, -REC_NOT_ACCEPTABLE, -TOO_MANY_REQUESTS, -REC_SERVER_ERROR and
  -REC_UNAVAILABLE responses of A030, A033, A035, A037, A040 and A041.

  Rule: a call without an access token is refused by the proxy with 401, login, ACCESS_DENIED and an invalid_token challenge (10.3)

    @user-restricted @authentication @error=ACCESS_DENIED @req=X-HDR-CORRELATION-ID @req=X-AUTH-R4-NO-TOKEN
    Scenario Outline: <operation> without an access token
      Given the caller is a <role>
      And the request is sent without an access token
      When the caller sends a representative <operation> request
      Then the response status is 401
      And the response is an R4 OperationOutcome with issue type login and code ACCESS_DENIED
      And the OperationOutcome diagnostics read "Invalid access token"
      And the OperationOutcome claims the profile "https://www.hl7.org/fhir/R4/operationoutcome.html"
      And the response header "WWW-Authenticate" contains "invalid_token"
      And the response echoes the request's X-Correlation-ID

      @A030 @req=A030-ERR-401-ACCESS_DENIED
      Examples: A030 Retrieve user business functions
        | operation | role                |
        | A030      | REFERRING_CLINICIAN |

      @A033 @req=A033-ERR-401-ACCESS_DENIED
      Examples: A033 Retrieve healthcare service
        | operation | role                |
        | A033      | REFERRING_CLINICIAN |

      @A035 @req=A035-ERR-401-ACCESS_DENIED
      Examples: A035 Search for healthcare services
        | operation | role                |
        | A035      | REFERRING_CLINICIAN |

      @A040 @req=A040-ERR-401-ACCESS_DENIED
      Examples: A040 Retrieve on-behalf-of practitioner info
        | operation | role                             |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

      @A041 @req=A041-ERR-401-ACCESS_DENIED
      Examples: A041 Search for service requests
        | operation | role                |
        | A041      | REFERRING_CLINICIAN |

    @user-restricted @authentication
    Scenario Outline: <operation> (HEAD) without an access token
      Given the caller is a <role>
      And the request is sent without an access token
      When the caller sends a representative <operation> request
      Then the response status is 401
      And the response body is empty
      And the response header "WWW-Authenticate" contains "invalid_token"

      @A037 @req=A037-ERR-401-ACCESS_DENIED
      Examples: A037 Retrieve healthcare service version
        | operation | role                |
        | A037      | REFERRING_CLINICIAN |

  Rule: the proxy refuses an application-only business function or an organisation outside the allowlist with 403 forbidden ACCESS_DENIED (10.2, 10.3; A030 has no allowlist)

    @user-restricted @authentication @error=ACCESS_DENIED @req=X-ERR-PROXY-OUTCOME
    Scenario Outline: <operation> with <why>
      Given the caller is a <role>
      And the request sends the "<header>" header as "<value>"
      When the caller sends a representative <operation> request
      Then the response status is 403
      And the response is an R4 OperationOutcome with issue type forbidden and code ACCESS_DENIED
      And the OperationOutcome diagnostics read "<diagnostics>"
      And the OperationOutcome is the proxy's own: meta.lastUpdated, one error issue, one coding with system and code, and diagnostics

      @A030 @req=A030-ERR-403-ACCESS_DENIED
      Examples: A030 Retrieve user business functions
        | operation | role                | header                     | value                           | why                                   | diagnostics                                                                      |
        | A030      | REFERRING_CLINICIAN | NHSD-eRS-Business-Function | PROVIDER_AUTHORISED_APPLICATION | an application-only business function | User does not have the required Business Function at the specified Organisation. |

      @A033 @req=A033-ERR-403-ACCESS_DENIED
      Examples: A033 Retrieve healthcare service
        | operation | role                | header                         | value                           | why                                             | diagnostics                                                                      |
        | A033      | REFERRING_CLINICIAN | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A033      | REFERRING_CLINICIAN | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A035 @req=A035-ERR-403-ACCESS_DENIED
      Examples: A035 Search for healthcare services
        | operation | role                | header                         | value                           | why                                             | diagnostics                                                                      |
        | A035      | REFERRING_CLINICIAN | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A035      | REFERRING_CLINICIAN | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A040 @req=A040-ERR-403-ACCESS_DENIED
      Examples: A040 Retrieve on-behalf-of practitioner info
        | operation | role                             | header                         | value                           | why                                             | diagnostics                                                                      |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A041 @req=A041-ERR-403-ACCESS_DENIED
      Examples: A041 Search for service requests
        | operation | role                | header                         | value                           | why                                             | diagnostics                                                                      |
        | A041      | REFERRING_CLINICIAN | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A041      | REFERRING_CLINICIAN | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

    @user-restricted @authentication
    Scenario Outline: <operation> (HEAD) with <why>
      Given the caller is a <role>
      And the request sends the "<header>" header as "<value>"
      When the caller sends a representative <operation> request
      Then the response status is 403
      And the response body is empty

      @A037 @req=A037-ERR-403-ACCESS_DENIED
      Examples: A037 Retrieve healthcare service version
        | operation | role                | header                         | value                           | why                                             |
        | A037      | REFERRING_CLINICIAN | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           |
        | A037      | REFERRING_CLINICIAN | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist |

  Rule: an application-restricted call that carries a user-restricted role header is refused with 403 and an empty body (10.3)

    @app-restricted @authentication @req=X-AM-AR-NO-ROLE-HEADERS
    Scenario Outline: <operation> from the referrer application with <header>
      Given the caller is the referrer application
      And the request sends the "<header>" header as "<value>"
      When the caller sends a representative <operation> request
      Then the response status is 403
      And the response body is empty

      @A033
      Examples: A033 Retrieve healthcare service
        | operation | header                         | value                     |
        | A033      | NHSD-eRS-Business-Function     | REFERRING_CLINICIAN       |
        | A033      | NHSD-End-User-Organisation-ODS | <organisations.referring> |

      @A035 
      Examples: A035 Search for healthcare services
        | operation | header                         | value                     |
        | A035      | NHSD-eRS-Business-Function     | REFERRING_CLINICIAN       |
        | A035      | NHSD-End-User-Organisation-ODS | <organisations.referring> |

      @A037 
      Examples: A037 Retrieve healthcare service version
        | operation | header                         | value                     |
        | A037      | NHSD-eRS-Business-Function     | REFERRING_CLINICIAN       |
        | A037      | NHSD-End-User-Organisation-ODS | <organisations.referring> |

  Rule: the end-user organisation header is mandatory in user-restricted mode, except on A030: 400 required MISSING_HEADER (10.2, 10.3)

    @user-restricted @error=MISSING_HEADER @req=X-HDR-ODS-REQUIRED
    Scenario Outline: <operation> without NHSD-End-User-Organisation-ODS
      Given the caller is a <role>
      And the request omits the "NHSD-End-User-Organisation-ODS" header
      When the caller sends a representative <operation> request
      Then the response status is 400
      And the response is an R4 OperationOutcome with issue type required and code MISSING_HEADER
      And the OperationOutcome diagnostics read "Missing or Empty NHSD-End-User-Organisation-ODS header."

      @A033
      Examples: A033 Retrieve healthcare service
        | operation | role                |
        | A033      | REFERRING_CLINICIAN |

      @A035
      Examples: A035 Search for healthcare services
        | operation | role                |
        | A035      | REFERRING_CLINICIAN |

      @A040
      Examples: A040 Retrieve on-behalf-of practitioner info
        | operation | role                             |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

      @A041
      Examples: A041 Search for service requests
        | operation | role                |
        | A041      | REFERRING_CLINICIAN |

  Rule: a caller that accepts only a representation e-RS cannot give gets 406 not-supported REC_NOT_ACCEPTABLE (6)

    @user-restricted @error=REC_NOT_ACCEPTABLE
    Scenario Outline: <operation> accepting only XML
      Given the caller is a <role>
      And the request sends the "Accept" header as "application/fhir+xml"
      When the caller sends a representative <operation> request
      Then the response status is 406
      And the response is an R4 OperationOutcome with issue type not-supported and code REC_NOT_ACCEPTABLE

      @A030 @req=A030-ERR-REC_NOT_ACCEPTABLE
      Examples: A030 Retrieve user business functions
        | operation | role                |
        | A030      | REFERRING_CLINICIAN |

      @A033 @req=A033-ERR-REC_NOT_ACCEPTABLE
      Examples: A033 Retrieve healthcare service
        | operation | role                |
        | A033      | REFERRING_CLINICIAN |

      @A035 @req=A035-ERR-REC_NOT_ACCEPTABLE
      Examples: A035 Search for healthcare services
        | operation | role                |
        | A035      | REFERRING_CLINICIAN |

      @A040 @req=A040-ERR-REC_NOT_ACCEPTABLE
      Examples: A040 Retrieve on-behalf-of practitioner info
        | operation | role                             |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

      @A041 @req=A041-ERR-REC_NOT_ACCEPTABLE
      Examples: A041 Search for service requests
        | operation | role                |
        | A041      | REFERRING_CLINICIAN |

  Rule: a rate-limited call gets 429 throttled TOO_MANY_REQUESTS with Retry-After (6, 10.3)

    @user-restricted @fault-injection @error=TOO_MANY_REQUESTS
    Scenario Outline: <operation> rate limited
      Given the caller is a <role>
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 429 and Retry-After 2
      When the caller sends a representative <operation> request
      Then the response status is 429
      And the response is an R4 OperationOutcome with issue type throttled and code TOO_MANY_REQUESTS
      And the response says to retry after a whole number of seconds

      @A030 @req=A030-ERR-TOO_MANY_REQUESTS
      Examples: A030 Retrieve user business functions
        | operation | role                |
        | A030      | REFERRING_CLINICIAN |

      @A033 @req=A033-ERR-TOO_MANY_REQUESTS
      Examples: A033 Retrieve healthcare service
        | operation | role                |
        | A033      | REFERRING_CLINICIAN |

      @A035 @req=A035-ERR-TOO_MANY_REQUESTS
      Examples: A035 Search for healthcare services
        | operation | role                |
        | A035      | REFERRING_CLINICIAN |

      @A040 @req=A040-ERR-TOO_MANY_REQUESTS
      Examples: A040 Retrieve on-behalf-of practitioner info
        | operation | role                             |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

      @A041 @req=A041-ERR-TOO_MANY_REQUESTS
      Examples: A041 Search for service requests
        | operation | role                |
        | A041      | REFERRING_CLINICIAN |

    @user-restricted @fault-injection
    Scenario Outline: <operation> (HEAD) rate limited
      Given the caller is a <role>
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 429 and Retry-After 2
      When the caller sends a representative <operation> request
      Then the response status is 429
      And the response body is empty
      And the response says to retry after a whole number of seconds

      @A037 @req=A037-ERR-TOO_MANY_REQUESTS
      Examples: A037 Retrieve healthcare service version
        | operation | role                |
        | A037      | REFERRING_CLINICIAN |

  Rule: an unexpected failure of e-RS is 500 exception REC_SERVER_ERROR (6)

    @user-restricted @fault-injection @error=REC_SERVER_ERROR
    Scenario Outline: <operation> failing unexpectedly
      Given the caller is a <role>
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 500
      When the caller sends a representative <operation> request
      Then the response status is 500
      And the response is an R4 OperationOutcome with issue type exception and code REC_SERVER_ERROR
      And the response carries an X-Request-ID

      @A030 @req=A030-ERR-REC_SERVER_ERROR
      Examples: A030 Retrieve user business functions
        | operation | role                |
        | A030      | REFERRING_CLINICIAN |

      @A033 @req=A033-ERR-REC_SERVER_ERROR
      Examples: A033 Retrieve healthcare service
        | operation | role                |
        | A033      | REFERRING_CLINICIAN |

      @A035 @req=A035-ERR-REC_SERVER_ERROR
      Examples: A035 Search for healthcare services
        | operation | role                |
        | A035      | REFERRING_CLINICIAN |

      @A040 @req=A040-ERR-REC_SERVER_ERROR
      Examples: A040 Retrieve on-behalf-of practitioner info
        | operation | role                             |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

      @A041 @req=A041-ERR-REC_SERVER_ERROR
      Examples: A041 Search for service requests
        | operation | role                |
        | A041      | REFERRING_CLINICIAN |

    @user-restricted @fault-injection
    Scenario Outline: <operation> (HEAD) failing unexpectedly
      Given the caller is a <role>
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 500
      When the caller sends a representative <operation> request
      Then the response status is 500
      And the response body is empty

      @A037 @req=A037-ERR-REC_SERVER_ERROR
      Examples: A037 Retrieve healthcare service version
        | operation | role                |
        | A037      | REFERRING_CLINICIAN |

  Rule: an unavailable e-RS answers 503 transient REC_UNAVAILABLE with Retry-After (6)

    @user-restricted @fault-injection @error=REC_UNAVAILABLE
    Scenario Outline: <operation> while e-RS is unavailable
      Given the caller is a <role>
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 503 and Retry-After 3
      When the caller sends a representative <operation> request
      Then the response status is 503
      And the response is an R4 OperationOutcome with issue type transient and code REC_UNAVAILABLE
      And the response says to retry after a whole number of seconds

      @A030 @req=A030-ERR-REC_UNAVAILABLE
      Examples: A030 Retrieve user business functions
        | operation | role                |
        | A030      | REFERRING_CLINICIAN |

      @A033 @req=A033-ERR-REC_UNAVAILABLE
      Examples: A033 Retrieve healthcare service
        | operation | role                |
        | A033      | REFERRING_CLINICIAN |

      @A035 @req=A035-ERR-REC_UNAVAILABLE
      Examples: A035 Search for healthcare services
        | operation | role                |
        | A035      | REFERRING_CLINICIAN |

      @A040 @req=A040-ERR-REC_UNAVAILABLE
      Examples: A040 Retrieve on-behalf-of practitioner info
        | operation | role                             |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

      @A041 @req=A041-ERR-REC_UNAVAILABLE
      Examples: A041 Search for service requests
        | operation | role                |
        | A041      | REFERRING_CLINICIAN |

    @user-restricted @fault-injection
    Scenario Outline: <operation> (HEAD) while e-RS is unavailable
      Given the caller is a <role>
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 503 and Retry-After 3
      When the caller sends a representative <operation> request
      Then the response status is 503
      And the response body is empty
      And the response says to retry after a whole number of seconds

      @A037 @req=A037-ERR-REC_UNAVAILABLE
      Examples: A037 Retrieve healthcare service version
        | operation | role                |
        | A037      | REFERRING_CLINICIAN |

  Rule: when the proxy's organisation allowlist service fails, an R4 call is 500 exception SERVICE_ERROR "Internal Server Error" (10.3; A030 skips the allowlist)

    @user-restricted @fault-injection @error=SERVICE_ERROR
    Scenario Outline: <operation> while the allowlist service fails
      Given the caller is a <role>
      And the harness does not retry rate-limited or unavailable reads
      And the proxy's organisation allowlist service will fail on the next <operation> request
      When the caller sends a representative <operation> request
      Then the response status is 500
      And the response is an R4 OperationOutcome with issue type exception and code SERVICE_ERROR
      And the OperationOutcome diagnostics read "Internal Server Error"

      @A033 @req=A033-ERR-SERVICE_ERROR
      Examples: A033 Retrieve healthcare service
        | operation | role                |
        | A033      | REFERRING_CLINICIAN |

      @A035 @req=A035-ERR-SERVICE_ERROR
      Examples: A035 Search for healthcare services
        | operation | role                |
        | A035      | REFERRING_CLINICIAN |

      @A040 @req=A040-ERR-SERVICE_ERROR
      Examples: A040 Retrieve on-behalf-of practitioner info
        | operation | role                             |
        | A040      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

      @A041 @req=A041-ERR-SERVICE_ERROR
      Examples: A041 Search for service requests
        | operation | role                |
        | A041      | REFERRING_CLINICIAN |

    @user-restricted @fault-injection
    Scenario Outline: <operation> (HEAD) while the allowlist service fails
      Given the caller is a <role>
      And the harness does not retry rate-limited or unavailable reads
      And the proxy's organisation allowlist service will fail on the next <operation> request
      When the caller sends a representative <operation> request
      Then the response status is 500
      And the response body is empty

      @A037 @req=A037-ERR-SERVICE_ERROR
      Examples: A037 Retrieve healthcare service version
        | operation | role                |
        | A037      | REFERRING_CLINICIAN |

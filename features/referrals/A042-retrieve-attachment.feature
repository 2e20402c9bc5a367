@A042 @r4
Feature: A042 Retrieve attachment (R4 Binary, redirect)
  A referrer or provider (or a provider application) asks for a file attached to a referral and is redirected
  (307) to a short-lived object-store URL that answers the bytes with their Content-Type and an RFC 5987
  Content-Disposition; a new redirect is needed for every download, and there is no 5 MB cap. Only a file the
  document store's malware scan found clean is served; failures are NHSDigital-OperationOutcomes (catalogue
  section 2, A042; attachments 8.4; R4 error shapes 6). Requirements: A042-OP and each documented A042 error response.

  Rule: a clean file the caller may see is a redirect to its download

    @user-restricted @req=A042-OP
    Scenario Outline: a <role> follows the redirect to a referral letter
      Given the caller is a <role>
      When the caller asks A042 for the "available" attachment
      Then the response redirects to a short-lived download of the attachment

      Examples:
        | role                             |
        | REFERRING_CLINICIAN              |
        | REFERRING_CLINICIAN_ADMIN        |
        | SERVICE_PROVIDER_CLINICIAN       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN |

    @app-restricted @req=A042-OP
    Scenario: the provider application downloads a file larger than A006 serves
      Given the caller is the provider application
      When the caller asks A042 for the "oversized" attachment
      Then the response redirects to a short-lived download of the attachment

    @user-restricted @sandbox @req=A042-OP
    Scenario: the documented example attachment (runnable against the NHS sandbox)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller asks A042 for the "available" attachment
      Then the response redirects to a short-lived download of the attachment

    @user-restricted @stateful @fault-injection @req=A042-OP @req=A042-ERR-PENDING
    Scenario: a new upload is PENDING until the document store's scan completes
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "history.txt" as "text/plain" for the referral
      When the caller asks A042 for the "first uploaded" attachment
      Then the response status is 422
      And the response is an R4 OperationOutcome with issue type invalid and code PENDING
      Given the document store has had 5 minutes to scan
      When the caller asks A042 for the "first uploaded" attachment
      Then the response redirects to a short-lived download of the attachment

  Rule: refusals are NHSDigital-OperationOutcomes with the documented codes

    @user-restricted @negative
    Scenario Outline: asking for the <attachment> attachment
      Given the caller is a <role>
      When the caller asks A042 for the "<attachment>" attachment
      Then the response status is <status>
      And the response is an R4 OperationOutcome with issue type <issue> and code <code>
      And the R4 error code comes from "<system>"

      @error=PENDING @req=A042-ERR-PENDING
      Examples: still being scanned
        | role                       | attachment | status | issue   | code    | system                                      |
        | SERVICE_PROVIDER_CLINICIAN | pending    | 422    | invalid | PENDING | https://fhir.nhs.uk/CodeSystem/ers-error-codes |

      @error=THREATS_FOUND @req=A042-ERR-THREATS_FOUND
      Examples: quarantined
        | role                       | attachment   | status | issue   | code          | system                                      |
        | SERVICE_PROVIDER_CLINICIAN | threatsFound | 422    | invalid | THREATS_FOUND | https://fhir.nhs.uk/CodeSystem/ers-error-codes |

      @error=VALIDATION_FAILED @req=A042-ERR-VALIDATION_FAILED
      Examples: not what it claims to be
        | role                       | attachment       | status | issue   | code              | system                                      |
        | SERVICE_PROVIDER_CLINICIAN | validationFailed | 422    | invalid | VALIDATION_FAILED | https://fhir.nhs.uk/CodeSystem/ers-error-codes |

      @error=NO_RELATIONSHIP @req=A042-ERR-403-NO_RELATIONSHIP
      Examples: another organisation's referral
        | role                       | attachment     | status | issue     | code            | system                                      |
        | SERVICE_PROVIDER_CLINICIAN | noRelationship | 403    | forbidden | NO_RELATIONSHIP | https://fhir.nhs.uk/CodeSystem/ers-error-codes |

      @error=REC_BAD_REQUEST @req=A042-ERR-REC_BAD_REQUEST
      Examples: not an attachment id
        | role                       | attachment  | status | issue   | code            | system                                      |
        | SERVICE_PROVIDER_CLINICIAN | malformedId | 400    | invalid | REC_BAD_REQUEST | https://fhir.nhs.uk/CodeSystem/http-error-codes |

      @error=REC_NOT_FOUND @req=A042-ERR-REC_NOT_FOUND
      Examples: not in the document store
        | role                       | attachment | status | issue     | code          | system                                      |
        | SERVICE_PROVIDER_CLINICIAN | unknown    | 404    | not-found | REC_NOT_FOUND | https://fhir.nhs.uk/CodeSystem/http-error-codes |

      @error=REC_FORBIDDEN @req=A042-ERR-403-REC_FORBIDDEN
      Examples: a role A042 does not serve
        | role                   | attachment | status | issue     | code          | system                                      |
        | SERVICE_PROVIDER_ADMIN | available  | 403    | forbidden | REC_FORBIDDEN | https://fhir.nhs.uk/CodeSystem/http-error-codes |

  Rule: the platform's refusals and failures come back in the R4 shape

    @user-restricted @negative @authentication @error=ACCESS_DENIED @req=A042-ERR-401-ACCESS_DENIED
    Scenario: an access token the target never issued
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the request is sent with an access token the target never issued
      When the caller asks A042 for the "available" attachment
      Then the response status is 401
      And the response is an R4 OperationOutcome with issue type login and code ACCESS_DENIED

    @user-restricted @negative @authentication @error=ACCESS_DENIED @req=A042-ERR-403-ACCESS_DENIED
    Scenario Outline: <why>
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the request sends the "<header>" header as "<value>"
      When the caller asks A042 for the "available" attachment
      Then the response status is 403
      And the response is an R4 OperationOutcome with issue type forbidden and code ACCESS_DENIED

      Examples:
        | header                         | value                           | why                                             |
        | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           |
        | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist |

    @user-restricted @negative @fault-injection
    Scenario Outline: HTTP <status> <code> from the platform
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the harness does not retry rate-limited or unavailable reads
      And <fault>
      When the caller asks A042 for the "available" attachment
      Then the response status is <status>
      And the response is an R4 OperationOutcome with issue type <issue> and code <code>

      @error=TOO_MANY_REQUESTS @req=A042-ERR-TOO_MANY_REQUESTS
      Examples: rate limited
        | fault                                                                 | status | issue     | code              |
        | the target will answer the next A042 request with HTTP 429 and Retry-After 2 | 429    | throttled | TOO_MANY_REQUESTS |

      @error=REC_SERVER_ERROR @req=A042-ERR-REC_SERVER_ERROR
      Examples: unexpected failure
        | fault                                                  | status | issue     | code             |
        | the target will answer the next A042 request with HTTP 500 | 500    | exception | REC_SERVER_ERROR |

      @error=SERVICE_ERROR @req=A042-ERR-SERVICE_ERROR
      Examples: the proxy's ODS allowlist check fails
        | fault                                                                | status | issue     | code          |
        | the target will answer the next A042 request with HTTP 500 SERVICE_ERROR | 500    | exception | SERVICE_ERROR |

      @error=REC_UNAVAILABLE @req=A042-ERR-REC_UNAVAILABLE
      Examples: unavailable
        | fault                                                                 | status | issue     | code            |
        | the target will answer the next A042 request with HTTP 503 and Retry-After 2 | 503    | transient | REC_UNAVAILABLE |

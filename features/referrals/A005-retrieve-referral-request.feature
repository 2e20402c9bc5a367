@A005 @stu3
Feature: A005 Retrieve referral request
  A referrer or provider reads a referral (ReferralRequest, eRS-ReferralRequest-1) by its UBRN, or
  reads its current version through the _history URL. The weak ETag carries meta.versionId, which
  later writes must send back. Both access modes are allowed (catalogue section 2, A005 and
  A005-versioned; versioning in section 7). Requirements: A005-OP, A005-versioned-OP and each
  documented error response of both.

  Rule: a referral the caller has a relationship with is returned with its version

    @user-restricted @req=A005-OP
    Scenario Outline: <role> reads a <state> referral
      Given the caller is a <role>
      When the caller retrieves the "<referral>" referral
      Then the response status is 200
      And the response is FHIR JSON
      And the response is a ReferralRequest resource
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1"
      And the response is the requested referral
      And the referral is in state <state>
      And the weak ETag equals the resource's meta.versionId
      And the response echoes the request's X-Correlation-ID
      And the response carries an X-Request-ID

      @sandbox
      Examples: referrer roles, an unbooked referral
        | role                      | referral       | state                |
        | REFERRING_CLINICIAN       | unbooked       | NOT_BOOKED           |
        | REFERRING_CLINICIAN_ADMIN | unbooked       | NOT_BOOKED           |

      Examples: referrer roles, each other state the referrer sees
        | role                      | referral       | state                |
        | REFERRING_CLINICIAN       | bookedDbs      | BOOKED               |
        | REFERRING_CLINICIAN       | bookedIbs      | BOOKED               |
        | REFERRING_CLINICIAN       | deferred       | DEFERRED_TO_PROVIDER |
        | REFERRING_CLINICIAN       | awaitingTriage | AWAITING_TRIAGE      |

      Examples: provider roles, for referrals at their services
        | role                             | referral       | state           |
        | SERVICE_PROVIDER_CLINICIAN       | bookedDbs      | BOOKED          |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | bookedDbs      | BOOKED          |
        | SERVICE_PROVIDER_CLINICIAN       | awaitingTriage | AWAITING_TRIAGE |

    @app-restricted @req=A005-OP
    Scenario: the provider application reads a referral booked to its organisation
      Given the caller is the provider application
      When the caller retrieves the "bookedDbs" referral
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the weak ETag equals the resource's meta.versionId

    @user-restricted @profiles @req=A005-OP
    Scenario Outline: a <state> referral conforms to the eRS ReferralRequest profile
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves the "<referral>" referral
      Then the response status is 200
      And the response conforms to "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1"

      Examples:
        | referral  | state      |
        | unbooked  | NOT_BOOKED |
        | bookedDbs | BOOKED     |

    @user-restricted @sandbox @req=A005-versioned-OP
    Scenario: the current version is readable through its _history URL
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves the current version of the "unbooked" referral by its _history URL
      Then the response status is 200
      And the response is a ReferralRequest resource
      And the response is the requested referral
      And the weak ETag equals the resource's meta.versionId

  Rule: a version that is not current cannot be read

    @user-restricted @negative @error=HISTORY_NOT_SUPPORTED @req=A005-versioned-ERR-HISTORY_NOT_SUPPORTED
    Scenario: an earlier version of a referral is not retrievable
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves an earlier version of the "bookedDbs" referral by its _history URL
      Then the response status is 404
      And the response is an OperationOutcome with e-RS error code HISTORY_NOT_SUPPORTED

  Rule: business errors come back as 422 OperationOutcomes

    @user-restricted @negative @error=PATIENT_ERROR @req=A005-ERR-PATIENT_ERROR
    Scenario: a referral for a patient whose record cannot be used
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves the "sensitivePatient" referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code PATIENT_ERROR

    @user-restricted @negative @error=INVALID_REQUEST_TYPE @req=A005-ERR-INVALID_REQUEST_TYPE
    Scenario: a UBRN that is an advice and guidance request, not a referral
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves the "adviceAndGuidance" referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_REQUEST_TYPE

    @user-restricted @negative @error=NO_RELATIONSHIP @req=A005-ERR-NO_RELATIONSHIP
    Scenario Outline: <role> with no legitimate relationship to the referral
      Given the caller is a <role>
      When the caller retrieves the "noProviderRelationship" referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code NO_RELATIONSHIP

      Examples:
        | role                             | why                                                         |
        | SERVICE_PROVIDER_CLINICIAN       | not in the workgroup of the service it is booked to         |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | the clinician acted for is not in that service's workgroup  |

    @user-restricted @negative @req=A005-ERR-HTTP404
    Scenario: an unknown UBRN is not found
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves the "unknown" referral
      Then the response status is 404

  Rule: the caller's role and headers are checked before anything is read

    @user-restricted @negative @error=FORBIDDEN @req=A005-ERR-403-FORBIDDEN
    Scenario Outline: <role> may not read referrals
      Given the caller is a <role>
      When the caller retrieves the "unbooked" referral
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      Examples: roles the A005 table does not list
        | role                   | why                                           |
        | REFERRING_ADMIN        | administrative role, no clinical access      |
        | SERVICE_PROVIDER_ADMIN | administrative role, no clinical access      |
        | COMMISSIONER           | not an e-RS API referrer or provider role     |

    @user-restricted @negative @error=FORBIDDEN @req=A005-ERR-403-FORBIDDEN
    Scenario: a service provider clinician admin must say whom it acts for
      Given the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
      And the request omits the "NHSD-eRS-On-Behalf-Of-User-ID" header
      When the caller retrieves the "bookedDbs" referral
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

    @user-restricted @negative @error=FORBIDDEN @req=A005-ERR-403-FORBIDDEN
    Scenario: only a service provider clinician admin may act on behalf of someone
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the request sends the "NHSD-eRS-On-Behalf-Of-User-ID" header as "<actors.SERVICE_PROVIDER_CLINICIAN_ADMIN.onBehalfOf>"
      When the caller retrieves the "bookedDbs" referral
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

    @user-restricted @negative @error=MISSING_HEADER @req=A005-ERR-MISSING_HEADER
    Scenario: the end-user organisation header is mandatory in user-restricted mode
      Given the caller is a REFERRING_CLINICIAN
      And the request omits the "NHSD-End-User-Organisation-ODS" header
      When the caller retrieves the "unbooked" referral
      Then the response status is 400
      And the response is an OperationOutcome with issue type required and e-RS error code MISSING_HEADER

    @user-restricted @negative @authentication @error=NO_ACCESS @req=A005-ERR-403-NO_ACCESS
    Scenario Outline: the proxy refuses <why>
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "<header>" header as "<value>"
      When the caller retrieves the "unbooked" referral
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code NO_ACCESS

      Examples:
        | header                         | value                            | why                                              |
        | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION  | an application-only business function            |
        | NHSD-End-User-Organisation-ODS | <organisations.unknown>          | an organisation outside the partner's allowlist   |
        | NHSD-eRS-Business-Function     | SERVICE_PROVIDER_CLINICIAN       | a role the user does not hold at the organisation |

    @user-restricted @negative @authentication @req=A005-ERR-HTTP401
    Scenario: a request without a token is unauthorised with an empty body
      Given the caller is a REFERRING_CLINICIAN
      And the request is sent without an access token
      When the caller retrieves the "unbooked" referral
      Then the response status is 401
      And the response body is empty
      And the response header "WWW-Authenticate" contains "invalid_token"

    @app-restricted @negative @authentication @req=A005-ERR-HTTP403
    Scenario: an application may not send the user-restricted role headers
      Given the caller is the provider application
      And the request sends the "NHSD-eRS-Business-Function" header as "SERVICE_PROVIDER_CLINICIAN"
      When the caller retrieves the "bookedDbs" referral
      Then the response status is 403
      And the response body is empty

    @user-restricted @negative @req=A005-ERR-HTTP406
    Scenario: a caller that accepts only XML gets 406 Not Acceptable
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "Accept" header as "application/fhir+xml"
      When the caller retrieves the "unbooked" referral
      Then the response status is 406

  Rule: platform and service faults reach the caller in their documented shape

    @user-restricted @negative @fault-injection
    Scenario Outline: HTTP <status> from e-RS
      Given the caller is a REFERRING_CLINICIAN
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next A005 request with HTTP <status> and Retry-After 3
      When the caller retrieves the "unbooked" referral
      Then the response status is <status>
      And <body>

      @req=A005-ERR-HTTP429
      Examples: rate limited (the proxy strips the STU3 payload)
        | status | body                         |
        | 429    | the response body is empty   |

      @req=A005-ERR-HTTP500
      Examples: unexpected failure
        | status | body                                   |
        | 500    | the response carries an X-Request-ID   |

      @error=SYSTEM_UNAVAILABLE @req=A005-ERR-SYSTEM_UNAVAILABLE
      Examples: unavailable, retry later
        | status | body                                                                                         |
        | 503    | the response is an OperationOutcome with issue type transient and e-RS error code SYSTEM_UNAVAILABLE |

@authentication @stu3
Feature: Access modes, role headers and the proxy's authorisation rules
  In user-restricted mode a call names the role it is made in: NHSD-eRS-Business-Function and
  NHSD-End-User-Organisation-ODS, plus NHSD-eRS-On-Behalf-Of-User-ID for a service provider clinician
  admin only. In application-restricted mode the app's attributes decide all of that and the role
  headers must not be sent. Each row of the failure matrix in catalogue 10.3 that a client can
  provoke is one scenario here (sections 4, 5, 10.1-10.3).

  @user-restricted @req=X-HDR-ON-BEHALF-OF
  Scenario: a service provider clinician admin names the clinician it acts for
    Given the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
    When the caller retrieves the "bookedDbs" referral
    Then the request carried a bearer token, the caller's business function and ODS code, and an on-behalf-of header

  @user-restricted @negative @error=NO_ACCESS @req=X-AM-APP-ONLY-ROLE
  Scenario Outline: a user may not claim the application-only business function <business function>
    Given the caller is a REFERRING_CLINICIAN
    And the request sends the "NHSD-eRS-Business-Function" header as "<business function>"
    When the caller retrieves the "unbooked" referral
    Then the response status is 403
    And the response is an OperationOutcome with issue type forbidden and e-RS error code NO_ACCESS
    And the OperationOutcome diagnostics read "User does not have the required Business Function at the specified Organisation."

    Examples:
      | business function               |
      | PROVIDER_AUTHORISED_APPLICATION |
      | REFERRER_AUTHORISED_APPLICATION |
      | AUTHORISED_APPLICATION          |

  @user-restricted @r4 @negative @req=X-AM-APP-ONLY-ROLE
  Scenario: on R4 paths the application-only business function is ACCESS_DENIED
    Given the caller is a REFERRING_CLINICIAN
    And the request sends the "NHSD-eRS-Business-Function" header as "PROVIDER_AUTHORISED_APPLICATION"
    When the caller retrieves the R4 healthcare service "<services.directlyBookable>"
    Then the response status is 403
    And the response is an R4 OperationOutcome with issue type forbidden and code ACCESS_DENIED

  @app-restricted @negative @app-registration @error=NO_ACCESS @req=X-AUTH-ASID
  Scenario: an application without an ASID is refused
    Given the caller is the noAsid application
    When the caller retrieves the "bookedDbs" referral
    Then the response status is 403
    And the response is an OperationOutcome with issue type forbidden and e-RS error code NO_ACCESS
    And the OperationOutcome diagnostics read "ASID is not configured in the application"

  @user-restricted @negative @error=MISSING_HEADER @req=X-HDR-ODS-REQUIRED
  Scenario Outline: the end-user organisation is required in user-restricted mode (<why>)
    Given the caller is a REFERRING_CLINICIAN
    And <header step>
    When the caller retrieves the "unbooked" referral
    Then the response status is 400
    And the response is an OperationOutcome with issue type required and e-RS error code MISSING_HEADER
    And the OperationOutcome diagnostics read "Missing or Empty NHSD-End-User-Organisation-ODS header."

    Examples:
      | why          | header step                                                         |
      | missing      | the request omits the "NHSD-End-User-Organisation-ODS" header        |
      | empty        | the request sends the "NHSD-End-User-Organisation-ODS" header as " " |

  @user-restricted @negative @error=NO_ACCESS @req=X-AUTH-ODS-ALLOWLIST
  Scenario: an organisation outside the partner's allowlist is refused
    Given the caller is a REFERRING_CLINICIAN
    And the request sends the "NHSD-End-User-Organisation-ODS" header as "<organisations.unknown>"
    When the caller retrieves the "unbooked" referral
    Then the response status is 403
    And the response is an OperationOutcome with issue type forbidden and e-RS error code NO_ACCESS
    And the OperationOutcome diagnostics read "Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header"

  @app-restricted @negative @req=X-AM-AR-NO-ROLE-HEADERS @req=A005-ERR-HTTP403
  Scenario Outline: an application may not send <header>
    Given the caller is the provider application
    And the request sends the "<header>" header as "<value>"
    When the caller retrieves the "bookedDbs" referral
    Then the response status is 403
    And the response body is empty

    Examples: the user-restricted role headers
      | header                         | value                      |
      | NHSD-eRS-Business-Function     | SERVICE_PROVIDER_CLINICIAN |
      | NHSD-End-User-Organisation-ODS | <organisations.provider>   |
      | NHSD-eRS-On-Behalf-Of-User-ID  | <search.namedClinician.spc> |

    Examples: the proxy's internal headers
      | header                  | value                           |
      | x-ers-ods-code          | <organisations.provider>        |
      | x-ers-business-function | PROVIDER_AUTHORISED_APPLICATION |
      | x-ers-user-id           | <search.namedClinician.spc>     |

  @user-restricted @negative @error=FORBIDDEN @req=X-HDR-ON-BEHALF-OF
  Scenario Outline: the on-behalf-of header goes with SERVICE_PROVIDER_CLINICIAN_ADMIN only (<why>)
    Given the caller is a <role>
    And <header step>
    When the caller retrieves the "bookedDbs" referral
    Then the response status is 403
    And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

    Examples:
      | role                             | header step                                                                         | why                                   |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN | the request omits the "NHSD-eRS-On-Behalf-Of-User-ID" header                        | an admin must name the clinician      |
      | SERVICE_PROVIDER_CLINICIAN       | the request sends the "NHSD-eRS-On-Behalf-Of-User-ID" header as "<search.namedClinician.spc>" | a clinician acts only for themselves |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN | the request sends the "NHSD-eRS-On-Behalf-Of-User-ID" header as "<search.namedClinician.notSpc>" | the named user is not a clinician the admin acts for |

  @user-restricted @negative @error=FORBIDDEN @req=X-AM-ROLE-PERMITTED @req=A010-ERR-403-FORBIDDEN
  Scenario: a role valid at the proxy but not permitted for the operation is forbidden
    Given the caller is a SERVICE_PROVIDER_CLINICIAN
    And a service search for the "referable" patient
    When the caller submits the service search
    Then the response status is 403
    And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

  @app-restricted @negative @error=FORBIDDEN @req=X-AM-AR-OPERATIONS @req=A010-ERR-403-FORBIDDEN
  Scenario: an operation outside the application-restricted list is forbidden to applications
    Given the caller is the provider application
    And a service search for the "referable" patient
    When the caller submits the service search
    Then the response status is 403
    And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

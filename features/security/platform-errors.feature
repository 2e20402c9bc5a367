@stu3 @negative
Feature: Platform and proxy errors of every operation
  Whatever the operation, the API platform and e-RS answer the same generic failures the same way: the
  proxy refuses a missing token, a weak CIS2 login, role headers on an application call, an unknown role
  or organisation and a missing ODS header before e-RS sees the call; e-RS refuses a representation it
  cannot give or a body it cannot read; and rate limits and outages come back in their documented shape
  (catalogue section 6, generic statuses, and section 10.3, the failure matrix). Each scenario sends the
  operation's representative request (src/ers/sample-requests.ts), well-formed but for the one defect
  under test. Requirements: the {op}-ERR-HTTP401, -401-NO_ACCESS, -HTTP403, -403-NO_ACCESS,
  -403-FORBIDDEN, -MISSING_HEADER, -HTTP406, -HTTP415, -HTTP429, -HTTP500 and -SYSTEM_UNAVAILABLE
  responses no operation feature covers, and the documented 422s of the two _history reads.

  Rule: a call without an access token is refused by the proxy with 401, an empty body and an invalid_token challenge (10.3)

    @user-restricted @authentication @req=X-HDR-CORRELATION-ID
    Scenario Outline: <operation> without an access token
      Given the caller is a REFERRING_CLINICIAN
      And the request is sent without an access token
      When the caller sends a representative <operation> request
      Then the response status is 401
      And the response body is empty
      And the response header "WWW-Authenticate" contains "invalid_token"
      And the response echoes the request's X-Correlation-ID

      @A005 @req=A005-versioned-ERR-HTTP401
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      |
        | A005-versioned |

      @A012 @req=A012-ERR-HTTP401
      Examples: A012 Maintain referral letter
        | operation |
        | A012      |

      @A015 @req=A015-ERR-HTTP401
      Examples: A015 Retrieve appointment slots
        | operation |
        | A015      |

      @A016 @req=A016-ERR-HTTP401
      Examples: A016 Book or defer appointment
        | operation |
        | A016      |

      @A019 @req=A019-ERR-HTTP401
      Examples: A019 Generate patient letter
        | operation |
        | A019      |

      @A020 @req=A020-ERR-HTTP401
      Examples: A020 Upload file to document store
        | operation |
        | A020      |

      @A021 @req=A021-ERR-HTTP401
      Examples: A021 Create referral and send for triage
        | operation |
        | A021      |

      @A029 @req=A029-ERR-HTTP401
      Examples: A029 Available actions for user
        | operation |
        | A029      |

      @A031 @req=A031-ERR-HTTP401
      Examples: A031 Change shortlist
        | operation |
        | A031      |

      @A032 @req=A032-ERR-HTTP401
      Examples: A032 Change shortlist and send for triage
        | operation |
        | A032      |

      @A034 @req=A034-ERR-HTTP401
      Examples: A034 Update (cancel) appointment
        | operation |
        | A034      |

      @A036 @req=A036-ERR-HTTP401
      Examples: A036 Cancel referral
        | operation |
        | A036      |

      @A038 @req=A038-ERR-HTTP401
      Examples: A038 Retrieve appointment
        | operation |
        | A038      |

      @A038 @req=A038-versioned-ERR-HTTP401
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      |
        | A038-versioned |

      @A023 @req=A023-ERR-HTTP401
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation |
        | A023      |

      @A024 @req=A024-ERR-HTTP401
      Examples: A024 Retrieve advice and guidance request summary
        | operation |
        | A024      |

      @A024 @req=A024-versioned-ERR-HTTP401
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      |
        | A024-versioned |

      @A025 @req=A025-ERR-HTTP401
      Examples: A025 Retrieve advice and guidance conversation
        | operation |
        | A025      |

      @A026 @req=A026-ERR-HTTP401
      Examples: A026 Send advice and guidance response
        | operation |
        | A026      |

      @A027 @req=A027-ERR-HTTP401
      Examples: A027 Convert advice and guidance request to referral
        | operation |
        | A027      |

      @A043 @req=A043-ERR-HTTP401
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation |
        | A043      |

      @A044 @req=A044-ERR-HTTP401
      Examples: A044 Create advice and guidance request
        | operation |
        | A044      |

      @A006 @req=A006-ERR-HTTP401
      Examples: A006 Retrieve attachment (STU3, deprecated)
        | operation |
        | A006      |

      @A007 @req=A007-ERR-HTTP401
      Examples: A007 Retrieve clinical information (CRI PDF)
        | operation |
        | A007      |

      @A013 @req=A013-ERR-HTTP401
      Examples: A013 Accept referral
        | operation |
        | A013      |

      @A014 @req=A014-ERR-HTTP401
      Examples: A014 Reject referral
        | operation |
        | A014      |

      @A022 @req=A022-ERR-HTTP401
      Examples: A022 Cancel appointment, action later
        | operation |
        | A022      |

      @A028 @req=A028-ERR-HTTP401
      Examples: A028 Record triage (review) outcome
        | operation |
        | A028      |

  Rule: a CIS2 login below AAL2, or an identity verified below IAL3, is refused on every call with 401 NO_ACCESS (10.3)

    @user-restricted @authentication @error=NO_ACCESS @req=X-ERR-PROXY-OUTCOME
    Scenario Outline: <operation> after <login>
      Given the caller is a REFERRING_CLINICIAN
      And <assurance step>
      When the caller sends a representative <operation> request
      Then the response status is 401
      And the response is an OperationOutcome with issue type <issue type> and e-RS error code NO_ACCESS
      And the OperationOutcome diagnostics read "<diagnostics>"
      And the OperationOutcome is the proxy's own: meta.lastUpdated, one error issue, one coding with system and code, and diagnostics

      @A004 @req=A004-ERR-401-NO_ACCESS
      Examples: A004 Retrieve reference data
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A004      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A004      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A005 @req=A005-versioned-ERR-401-NO_ACCESS
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A005-versioned | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A005-versioned | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A008 @req=A008-ERR-401-NO_ACCESS
      Examples: A008 Retrieve referral worklist
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A008      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A008      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A010 @req=A010-ERR-401-NO_ACCESS
      Examples: A010 Patient service search
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A010      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A010      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A011 @req=A011-ERR-401-NO_ACCESS
      Examples: A011 Create referral
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A011      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A011      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A012 @req=A012-ERR-401-NO_ACCESS
      Examples: A012 Maintain referral letter
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A012      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A012      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A015 @req=A015-ERR-401-NO_ACCESS
      Examples: A015 Retrieve appointment slots
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A015      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A015      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A016 @req=A016-ERR-401-NO_ACCESS
      Examples: A016 Book or defer appointment
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A016      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A016      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A019 @req=A019-ERR-401-NO_ACCESS
      Examples: A019 Generate patient letter
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A019      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A019      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A020 @req=A020-ERR-401-NO_ACCESS
      Examples: A020 Upload file to document store
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A020      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A020      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A021 @req=A021-ERR-401-NO_ACCESS
      Examples: A021 Create referral and send for triage
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A021      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A021      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A029 @req=A029-ERR-401-NO_ACCESS
      Examples: A029 Available actions for user
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A029      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A029      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A031 @req=A031-ERR-401-NO_ACCESS
      Examples: A031 Change shortlist
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A031      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A031      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A032 @req=A032-ERR-401-NO_ACCESS
      Examples: A032 Change shortlist and send for triage
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A032      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A032      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A034 @req=A034-ERR-401-NO_ACCESS
      Examples: A034 Update (cancel) appointment
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A034      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A034      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A036 @req=A036-ERR-401-NO_ACCESS
      Examples: A036 Cancel referral
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A036      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A036      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A038 @req=A038-ERR-401-NO_ACCESS
      Examples: A038 Retrieve appointment
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A038      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A038      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A038 @req=A038-versioned-ERR-401-NO_ACCESS
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A038-versioned | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A038-versioned | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A023 @req=A023-ERR-401-NO_ACCESS
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A023      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A023      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A024 @req=A024-ERR-401-NO_ACCESS
      Examples: A024 Retrieve advice and guidance request summary
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A024      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A024      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A024 @req=A024-versioned-ERR-401-NO_ACCESS
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A024-versioned | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A024-versioned | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A025 @req=A025-ERR-401-NO_ACCESS
      Examples: A025 Retrieve advice and guidance conversation
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A025      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A025      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A026 @req=A026-ERR-401-NO_ACCESS
      Examples: A026 Send advice and guidance response
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A026      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A026      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A027 @req=A027-ERR-401-NO_ACCESS
      Examples: A027 Convert advice and guidance request to referral
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A027      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A027      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A043 @req=A043-ERR-401-NO_ACCESS
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A043      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A043      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A044 @req=A044-ERR-401-NO_ACCESS
      Examples: A044 Create advice and guidance request
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A044      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A044      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A006 @req=A006-ERR-401-NO_ACCESS
      Examples: A006 Retrieve attachment (STU3, deprecated)
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A006      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A006      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A007 @req=A007-ERR-401-NO_ACCESS
      Examples: A007 Retrieve clinical information (CRI PDF)
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A007      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A007      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A013 @req=A013-ERR-401-NO_ACCESS
      Examples: A013 Accept referral
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A013      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A013      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A014 @req=A014-ERR-401-NO_ACCESS
      Examples: A014 Reject referral
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A014      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A014      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A022 @req=A022-ERR-401-NO_ACCESS
      Examples: A022 Cancel appointment, action later
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A022      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A022      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

      @A028 @req=A028-ERR-401-NO_ACCESS
      Examples: A028 Record triage (review) outcome
        | operation | login                              | assurance step                                      | issue type | diagnostics                                                                                                                         |
        | A028      | an AAL1 login                      | the caller signed in to CIS2 at AAL1                | login      | The authentication method utilised is not currently supported. Contact your local Registration Authority or IT department for help. |
        | A028      | identity verification to IAL2 only | the caller's CIS2 identity is verified only to IAL2 | forbidden  | We couldn't verify your identity. Contact your local Registration Authority or IT department for help.                              |

  Rule: an application-restricted call that carries a user-restricted role header is refused with 403 and an empty body (10.3)

    @app-restricted @authentication
    Scenario Outline: <operation> from the <application> application with <header>
      Given the caller is the <application> application
      And the request sends the "<header>" header as "<value>"
      When the caller sends a representative <operation> request
      Then the response status is 403
      And the response body is empty

      @A004 @req=A004-ERR-HTTP403
      Examples: A004 Retrieve reference data
        | operation | application | header                     | value                      |
        | A004      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A005 @req=A005-versioned-ERR-HTTP403
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      | application | header                     | value                      |
        | A005-versioned | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A008 @req=A008-ERR-HTTP403
      Examples: A008 Retrieve referral worklist
        | operation | application | header                     | value                      |
        | A008      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A010 @req=A010-ERR-HTTP403
      Examples: A010 Patient service search
        | operation | application | header                     | value               |
        | A010      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A011 @req=A011-ERR-HTTP403
      Examples: A011 Create referral
        | operation | application | header                     | value               |
        | A011      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A012 @req=A012-ERR-HTTP403
      Examples: A012 Maintain referral letter
        | operation | application | header                     | value               |
        | A012      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A015 @req=A015-ERR-HTTP403
      Examples: A015 Retrieve appointment slots
        | operation | application | header                     | value               |
        | A015      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A016 @req=A016-ERR-HTTP403
      Examples: A016 Book or defer appointment
        | operation | application | header                     | value               |
        | A016      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A019 @req=A019-ERR-HTTP403
      Examples: A019 Generate patient letter
        | operation | application | header                     | value               |
        | A019      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A020 @req=A020-ERR-HTTP403
      Examples: A020 Upload file to document store
        | operation | application | header                     | value                      |
        | A020      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A021 @req=A021-ERR-HTTP403
      Examples: A021 Create referral and send for triage
        | operation | application | header                     | value               |
        | A021      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A029 @req=A029-ERR-HTTP403
      Examples: A029 Available actions for user
        | operation | application | header                     | value                      |
        | A029      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A031 @req=A031-ERR-HTTP403
      Examples: A031 Change shortlist
        | operation | application | header                     | value               |
        | A031      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A032 @req=A032-ERR-HTTP403
      Examples: A032 Change shortlist and send for triage
        | operation | application | header                     | value               |
        | A032      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A034 @req=A034-ERR-HTTP403
      Examples: A034 Update (cancel) appointment
        | operation | application | header                     | value               |
        | A034      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A036 @req=A036-ERR-HTTP403
      Examples: A036 Cancel referral
        | operation | application | header                     | value                      |
        | A036      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A038 @req=A038-ERR-HTTP403
      Examples: A038 Retrieve appointment
        | operation | application | header                     | value                      |
        | A038      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A038 @req=A038-versioned-ERR-HTTP403
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      | application | header                     | value                      |
        | A038-versioned | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A023 @req=A023-ERR-HTTP403
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation | application | header                     | value                      |
        | A023      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A024 @req=A024-ERR-HTTP403
      Examples: A024 Retrieve advice and guidance request summary
        | operation | application | header                     | value                      |
        | A024      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A024 @req=A024-versioned-ERR-HTTP403
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      | application | header                     | value                      |
        | A024-versioned | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A025 @req=A025-ERR-HTTP403
      Examples: A025 Retrieve advice and guidance conversation
        | operation | application | header                     | value                      |
        | A025      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A026 @req=A026-ERR-HTTP403
      Examples: A026 Send advice and guidance response
        | operation | application | header                     | value                      |
        | A026      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A027 @req=A027-ERR-HTTP403
      Examples: A027 Convert advice and guidance request to referral
        | operation | application | header                     | value                      |
        | A027      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A043 @req=A043-ERR-HTTP403
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation | application | header                     | value                      |
        | A043      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A044 @req=A044-ERR-HTTP403
      Examples: A044 Create advice and guidance request
        | operation | application | header                     | value               |
        | A044      | referrer    | NHSD-eRS-Business-Function | REFERRING_CLINICIAN |

      @A006 @req=A006-ERR-HTTP403
      Examples: A006 Retrieve attachment (STU3, deprecated)
        | operation | application | header                     | value                      |
        | A006      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A007 @req=A007-ERR-HTTP403
      Examples: A007 Retrieve clinical information (CRI PDF)
        | operation | application | header                     | value                      |
        | A007      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A013 @req=A013-ERR-HTTP403
      Examples: A013 Accept referral
        | operation | application | header                     | value                      |
        | A013      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A014 @req=A014-ERR-HTTP403
      Examples: A014 Reject referral
        | operation | application | header                     | value                      |
        | A014      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A022 @req=A022-ERR-HTTP403
      Examples: A022 Cancel appointment, action later
        | operation | application | header                     | value                      |
        | A022      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

      @A028 @req=A028-ERR-HTTP403
      Examples: A028 Record triage (review) outcome
        | operation | application | header                     | value                      |
        | A028      | provider    | NHSD-eRS-Business-Function | SERVICE_PROVIDER_CLINICIAN |

  Rule: the proxy refuses an application-only business function or an organisation outside the allowlist with 403 NO_ACCESS (10.3)

    @user-restricted @authentication @error=NO_ACCESS @req=X-ERR-PROXY-OUTCOME
    Scenario Outline: <operation> with <why>
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "<header>" header as "<value>"
      When the caller sends a representative <operation> request
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code NO_ACCESS
      And the OperationOutcome diagnostics read "<diagnostics>"
      And the OperationOutcome is the proxy's own: meta.lastUpdated, one error issue, one coding with system and code, and diagnostics

      @A005 @req=A005-versioned-ERR-403-NO_ACCESS
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      | header                         | value                           | why                                             | diagnostics                                                                      |
        | A005-versioned | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A005-versioned | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A012 @req=A012-ERR-403-NO_ACCESS
      Examples: A012 Maintain referral letter
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A012      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A012      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A015 @req=A015-ERR-403-NO_ACCESS
      Examples: A015 Retrieve appointment slots
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A015      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A015      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A016 @req=A016-ERR-403-NO_ACCESS
      Examples: A016 Book or defer appointment
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A016      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A016      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A019 @req=A019-ERR-403-NO_ACCESS
      Examples: A019 Generate patient letter
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A019      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A019      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A020 @req=A020-ERR-403-NO_ACCESS
      Examples: A020 Upload file to document store
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A020      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A020      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A021 @req=A021-ERR-403-NO_ACCESS
      Examples: A021 Create referral and send for triage
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A021      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A021      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A029 @req=A029-ERR-403-NO_ACCESS
      Examples: A029 Available actions for user
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A029      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A029      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A031 @req=A031-ERR-403-NO_ACCESS
      Examples: A031 Change shortlist
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A031      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A031      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A032 @req=A032-ERR-403-NO_ACCESS
      Examples: A032 Change shortlist and send for triage
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A032      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A032      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A034 @req=A034-ERR-403-NO_ACCESS
      Examples: A034 Update (cancel) appointment
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A034      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A034      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A036 @req=A036-ERR-403-NO_ACCESS
      Examples: A036 Cancel referral
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A036      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A036      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A038 @req=A038-ERR-403-NO_ACCESS
      Examples: A038 Retrieve appointment
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A038      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A038      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A038 @req=A038-versioned-ERR-403-NO_ACCESS
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      | header                         | value                           | why                                             | diagnostics                                                                      |
        | A038-versioned | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A038-versioned | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A023 @req=A023-ERR-403-NO_ACCESS
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A023      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A023      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A024 @req=A024-ERR-403-NO_ACCESS
      Examples: A024 Retrieve advice and guidance request summary
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A024      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A024      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A024 @req=A024-versioned-ERR-403-NO_ACCESS
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      | header                         | value                           | why                                             | diagnostics                                                                      |
        | A024-versioned | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A024-versioned | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A025 @req=A025-ERR-403-NO_ACCESS
      Examples: A025 Retrieve advice and guidance conversation
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A025      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A025      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A026 @req=A026-ERR-403-NO_ACCESS
      Examples: A026 Send advice and guidance response
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A026      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A026      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A027 @req=A027-ERR-403-NO_ACCESS
      Examples: A027 Convert advice and guidance request to referral
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A027      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A027      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A043 @req=A043-ERR-403-NO_ACCESS
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A043      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A043      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A044 @req=A044-ERR-403-NO_ACCESS
      Examples: A044 Create advice and guidance request
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A044      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A044      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A006 @req=A006-ERR-403-NO_ACCESS
      Examples: A006 Retrieve attachment (STU3, deprecated)
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A006      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A006      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A007 @req=A007-ERR-403-NO_ACCESS
      Examples: A007 Retrieve clinical information (CRI PDF)
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A007      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A007      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A013 @req=A013-ERR-403-NO_ACCESS
      Examples: A013 Accept referral
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A013      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A013      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A014 @req=A014-ERR-403-NO_ACCESS
      Examples: A014 Reject referral
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A014      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A014      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A022 @req=A022-ERR-403-NO_ACCESS
      Examples: A022 Cancel appointment, action later
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A022      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A022      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

      @A028 @req=A028-ERR-403-NO_ACCESS
      Examples: A028 Record triage (review) outcome
        | operation | header                         | value                           | why                                             | diagnostics                                                                      |
        | A028      | NHSD-eRS-Business-Function     | PROVIDER_AUTHORISED_APPLICATION | an application-only business function           | User does not have the required Business Function at the specified Organisation. |
        | A028      | NHSD-End-User-Organisation-ODS | <organisations.unknown>         | an organisation outside the partner's allowlist | Unauthorised ODS code provided in NHSD-End-User-Organisation-ODS header          |

  Rule: a role the operation does not allow is forbidden (6)

    @user-restricted @error=FORBIDDEN
    Scenario Outline: <operation> as a <role>
      Given the caller is a <role>
      When the caller sends a representative <operation> request
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      @A005 @req=A005-versioned-ERR-403-FORBIDDEN
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      | role                   | why                                        |
        | A005-versioned | REFERRING_ADMIN        | administrative role, not in the A005 roles |
        | A005-versioned | SERVICE_PROVIDER_ADMIN | administrative role, not in the A005 roles |

      @A032 @req=A032-ERR-403-FORBIDDEN
      Examples: A032 Change shortlist and send for triage
        | operation | role                       | why                                        |
        | A032      | SERVICE_PROVIDER_CLINICIAN | a provider role; A032 is for referrers     |
        | A032      | REFERRING_ADMIN            | administrative role, not in the A032 roles |

      @A038 @req=A038-versioned-ERR-403-FORBIDDEN
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      | role                   | why                                        |
        | A038-versioned | REFERRING_ADMIN        | administrative role, not in the A038 roles |
        | A038-versioned | SERVICE_PROVIDER_ADMIN | administrative role, not in the A038 roles |

      @A023 @req=A023-ERR-403-FORBIDDEN
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation | role                | why                                              |
        | A023      | REFERRING_CLINICIAN | a referrer role; A&G worklists are for providers |
        | A023      | REFERRING_ADMIN     | administrative role, not in the A023 roles       |

      @A024 @req=A024-ERR-403-FORBIDDEN
      Examples: A024 Retrieve advice and guidance request summary
        | operation | role                   | why                                        |
        | A024      | REFERRING_ADMIN        | administrative role, not in the A024 roles |
        | A024      | SERVICE_PROVIDER_ADMIN | administrative role, not in the A024 roles |

      @A024 @req=A024-versioned-ERR-403-FORBIDDEN
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      | role                   | why                                        |
        | A024-versioned | REFERRING_ADMIN        | administrative role, not in the A024 roles |
        | A024-versioned | SERVICE_PROVIDER_ADMIN | administrative role, not in the A024 roles |

      @A025 @req=A025-ERR-403-FORBIDDEN
      Examples: A025 Retrieve advice and guidance conversation
        | operation | role                   | why                                        |
        | A025      | REFERRING_ADMIN        | administrative role, not in the A025 roles |
        | A025      | SERVICE_PROVIDER_ADMIN | administrative role, not in the A025 roles |

      @A026 @req=A026-ERR-403-FORBIDDEN
      Examples: A026 Send advice and guidance response
        | operation | role                   | why                                        |
        | A026      | REFERRING_CLINICIAN    | a referrer role; A026 is for providers     |
        | A026      | SERVICE_PROVIDER_ADMIN | administrative role, not in the A026 roles |

      @A027 @req=A027-ERR-403-FORBIDDEN
      Examples: A027 Convert advice and guidance request to referral
        | operation | role                   | why                                        |
        | A027      | REFERRING_CLINICIAN    | a referrer role; A027 is for providers     |
        | A027      | SERVICE_PROVIDER_ADMIN | administrative role, not in the A027 roles |

      @A043 @req=A043-ERR-403-FORBIDDEN
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation | role                   | why                                        |
        | A043      | REFERRING_ADMIN        | administrative role, not in the A043 roles |
        | A043      | SERVICE_PROVIDER_ADMIN | administrative role, not in the A043 roles |

      @A044 @req=A044-ERR-403-FORBIDDEN
      Examples: A044 Create advice and guidance request
        | operation | role                       | why                                        |
        | A044      | SERVICE_PROVIDER_CLINICIAN | a provider role; A044 is for referrers     |
        | A044      | REFERRING_ADMIN            | administrative role, not in the A044 roles |

  Rule: the end-user organisation header is mandatory in user-restricted mode: 400 MISSING_HEADER (10.3)

    @user-restricted @error=MISSING_HEADER @req=X-ERR-PROXY-OUTCOME
    Scenario Outline: <operation> without NHSD-End-User-Organisation-ODS
      Given the caller is a REFERRING_CLINICIAN
      And the request omits the "NHSD-End-User-Organisation-ODS" header
      When the caller sends a representative <operation> request
      Then the response status is 400
      And the response is an OperationOutcome with issue type required and e-RS error code MISSING_HEADER
      And the OperationOutcome diagnostics read "Missing or Empty NHSD-End-User-Organisation-ODS header."
      And the OperationOutcome is the proxy's own: meta.lastUpdated, one error issue, one coding with system and code, and diagnostics

      @A005 @req=A005-versioned-ERR-MISSING_HEADER
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      |
        | A005-versioned |

      @A012 @req=A012-ERR-MISSING_HEADER
      Examples: A012 Maintain referral letter
        | operation |
        | A012      |

      @A021 @req=A021-ERR-MISSING_HEADER
      Examples: A021 Create referral and send for triage
        | operation |
        | A021      |

      @A031 @req=A031-ERR-MISSING_HEADER
      Examples: A031 Change shortlist
        | operation |
        | A031      |

      @A032 @req=A032-ERR-MISSING_HEADER
      Examples: A032 Change shortlist and send for triage
        | operation |
        | A032      |

      @A034 @req=A034-ERR-MISSING_HEADER
      Examples: A034 Update (cancel) appointment
        | operation |
        | A034      |

      @A036 @req=A036-ERR-MISSING_HEADER
      Examples: A036 Cancel referral
        | operation |
        | A036      |

      @A038 @req=A038-ERR-MISSING_HEADER
      Examples: A038 Retrieve appointment
        | operation |
        | A038      |

      @A038 @req=A038-versioned-ERR-MISSING_HEADER
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      |
        | A038-versioned |

      @A023 @req=A023-ERR-MISSING_HEADER
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation |
        | A023      |

      @A024 @req=A024-ERR-MISSING_HEADER
      Examples: A024 Retrieve advice and guidance request summary
        | operation |
        | A024      |

      @A024 @req=A024-versioned-ERR-MISSING_HEADER
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      |
        | A024-versioned |

      @A026 @req=A026-ERR-MISSING_HEADER
      Examples: A026 Send advice and guidance response
        | operation |
        | A026      |

      @A027 @req=A027-ERR-MISSING_HEADER
      Examples: A027 Convert advice and guidance request to referral
        | operation |
        | A027      |

      @A044 @req=A044-ERR-MISSING_HEADER
      Examples: A044 Create advice and guidance request
        | operation |
        | A044      |

      @A013 @req=A013-ERR-MISSING_HEADER
      Examples: A013 Accept referral
        | operation |
        | A013      |

      @A014 @req=A014-ERR-MISSING_HEADER
      Examples: A014 Reject referral
        | operation |
        | A014      |

      @A022 @req=A022-ERR-MISSING_HEADER
      Examples: A022 Cancel appointment, action later
        | operation |
        | A022      |

      @A028 @req=A028-ERR-MISSING_HEADER
      Examples: A028 Record triage (review) outcome
        | operation |
        | A028      |

  Rule: a caller that accepts only a representation e-RS cannot give gets 406 with a plain-text body (6)

    @user-restricted @req=X-ERR-STU3-PLAIN-TEXT
    Scenario Outline: <operation> accepting only XML
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "Accept" header as "application/fhir+xml"
      When the caller sends a representative <operation> request
      Then the response status is 406
      And the response Content-Type is "text/plain"

      @A005 @req=A005-versioned-ERR-HTTP406
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      |
        | A005-versioned |

      @A012 @req=A012-ERR-HTTP406
      Examples: A012 Maintain referral letter
        | operation |
        | A012      |

      @A015 @req=A015-ERR-HTTP406
      Examples: A015 Retrieve appointment slots
        | operation |
        | A015      |

      @A016 @req=A016-ERR-HTTP406
      Examples: A016 Book or defer appointment
        | operation |
        | A016      |

      @A020 @req=A020-ERR-HTTP406
      Examples: A020 Upload file to document store
        | operation |
        | A020      |

      @A021 @req=A021-ERR-HTTP406
      Examples: A021 Create referral and send for triage
        | operation |
        | A021      |

      @A029 @req=A029-ERR-HTTP406
      Examples: A029 Available actions for user
        | operation |
        | A029      |

      @A031 @req=A031-ERR-HTTP406
      Examples: A031 Change shortlist
        | operation |
        | A031      |

      @A032 @req=A032-ERR-HTTP406
      Examples: A032 Change shortlist and send for triage
        | operation |
        | A032      |

      @A034 @req=A034-ERR-HTTP406
      Examples: A034 Update (cancel) appointment
        | operation |
        | A034      |

      @A036 @req=A036-ERR-HTTP406
      Examples: A036 Cancel referral
        | operation |
        | A036      |

      @A038 @req=A038-ERR-HTTP406
      Examples: A038 Retrieve appointment
        | operation |
        | A038      |

      @A038 @req=A038-versioned-ERR-HTTP406
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      |
        | A038-versioned |

      @A024 @req=A024-ERR-HTTP406
      Examples: A024 Retrieve advice and guidance request summary
        | operation |
        | A024      |

      @A024 @req=A024-versioned-ERR-HTTP406
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      |
        | A024-versioned |

      @A025 @req=A025-ERR-HTTP406
      Examples: A025 Retrieve advice and guidance conversation
        | operation |
        | A025      |

      @A043 @req=A043-ERR-HTTP406
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation |
        | A043      |

      @A044 @req=A044-ERR-HTTP406
      Examples: A044 Create advice and guidance request
        | operation |
        | A044      |

      @A006 @req=A006-ERR-HTTP406
      Examples: A006 Retrieve attachment (STU3, deprecated)
        | operation |
        | A006      |

      @A007 @req=A007-ERR-HTTP406
      Examples: A007 Retrieve clinical information (CRI PDF)
        | operation |
        | A007      |

    @user-restricted @req=X-ERR-STU3-PLAIN-TEXT
    Scenario Outline: <operation> accepting only XML, as a provider clinician (a provider-only operation)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the request sends the "Accept" header as "application/fhir+xml"
      When the caller sends a representative <operation> request
      Then the response status is 406
      And the response Content-Type is "text/plain"

      @A023 @req=A023-ERR-HTTP406
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation |
        | A023      |

      @A026 @req=A026-ERR-HTTP406
      Examples: A026 Send advice and guidance response
        | operation |
        | A026      |

      @A027 @req=A027-ERR-HTTP406
      Examples: A027 Convert advice and guidance request to referral
        | operation |
        | A027      |

      @A013 @req=A013-ERR-HTTP406
      Examples: A013 Accept referral
        | operation |
        | A013      |

      @A014 @req=A014-ERR-HTTP406
      Examples: A014 Reject referral
        | operation |
        | A014      |

      @A022 @req=A022-ERR-HTTP406
      Examples: A022 Cancel appointment, action later
        | operation |
        | A022      |

      @A028 @req=A028-ERR-HTTP406
      Examples: A028 Record triage (review) outcome
        | operation |
        | A028      |

  Rule: a body in a Content-Type the operation does not take gets 415 with a plain-text body (4, 6)

    @user-restricted @req=X-ERR-STU3-PLAIN-TEXT
    Scenario Outline: <operation> with its body sent as <content type>
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "Content-Type" header as "<content type>"
      When the caller sends a representative <operation> request
      Then the response status is 415
      And the response Content-Type is "text/plain"

      @A012 @req=A012-ERR-HTTP415
      Examples: A012 Maintain referral letter
        | operation | content type         | why                       |
        | A012      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A016 @req=A016-ERR-HTTP415
      Examples: A016 Book or defer appointment
        | operation | content type         | why                       |
        | A016      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A020 @req=A020-ERR-HTTP415
      Examples: A020 Upload file to document store
        | operation | content type | why                                     |
        | A020      | letter.txt   | a file name where the MIME type belongs |

      @A021 @req=A021-ERR-HTTP415
      Examples: A021 Create referral and send for triage
        | operation | content type         | why                       |
        | A021      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A031 @req=A031-ERR-HTTP415
      Examples: A031 Change shortlist
        | operation | content type         | why                       |
        | A031      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A032 @req=A032-ERR-HTTP415
      Examples: A032 Change shortlist and send for triage
        | operation | content type         | why                       |
        | A032      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A034 @req=A034-ERR-HTTP415
      Examples: A034 Update (cancel) appointment
        | operation | content type         | why                       |
        | A034      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A036 @req=A036-ERR-HTTP415
      Examples: A036 Cancel referral
        | operation | content type         | why                       |
        | A036      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A044 @req=A044-ERR-HTTP415
      Examples: A044 Create advice and guidance request
        | operation | content type         | why                       |
        | A044      | application/fhir+xml | e-RS takes FHIR JSON only |

    @user-restricted @req=X-ERR-STU3-PLAIN-TEXT
    Scenario Outline: <operation> with its body sent as <content type>, as a provider clinician (a provider-only operation)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the request sends the "Content-Type" header as "<content type>"
      When the caller sends a representative <operation> request
      Then the response status is 415
      And the response Content-Type is "text/plain"

      @A023 @req=A023-ERR-HTTP415
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation | content type         | why                       |
        | A023      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A026 @req=A026-ERR-HTTP415
      Examples: A026 Send advice and guidance response
        | operation | content type         | why                       |
        | A026      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A027 @req=A027-ERR-HTTP415
      Examples: A027 Convert advice and guidance request to referral
        | operation | content type         | why                       |
        | A027      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A014 @req=A014-ERR-HTTP415
      Examples: A014 Reject referral
        | operation | content type         | why                       |
        | A014      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A022 @req=A022-ERR-HTTP415
      Examples: A022 Cancel appointment, action later
        | operation | content type         | why                       |
        | A022      | application/fhir+xml | e-RS takes FHIR JSON only |

      @A028 @req=A028-ERR-HTTP415
      Examples: A028 Record triage (review) outcome
        | operation | content type         | why                       |
        | A028      | application/fhir+xml | e-RS takes FHIR JSON only |

  Rule: a rate-limited call gets 429 with Retry-After and, on STU3 paths, no payload (6, 10.3)

    @user-restricted @fault-injection
    Scenario Outline: <operation> rate limited
      Given the caller is a REFERRING_CLINICIAN
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 429 and Retry-After 2
      When the caller sends a representative <operation> request
      Then the response status is 429
      And the response body is empty
      And the response says to retry after a whole number of seconds

      @A005 @req=A005-versioned-ERR-HTTP429
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      |
        | A005-versioned |

      @A012 @req=A012-ERR-HTTP429
      Examples: A012 Maintain referral letter
        | operation |
        | A012      |

      @A015 @req=A015-ERR-HTTP429
      Examples: A015 Retrieve appointment slots
        | operation |
        | A015      |

      @A016 @req=A016-ERR-HTTP429
      Examples: A016 Book or defer appointment
        | operation |
        | A016      |

      @A019 @req=A019-ERR-HTTP429
      Examples: A019 Generate patient letter
        | operation |
        | A019      |

      @A020 @req=A020-ERR-HTTP429
      Examples: A020 Upload file to document store
        | operation |
        | A020      |

      @A021 @req=A021-ERR-HTTP429
      Examples: A021 Create referral and send for triage
        | operation |
        | A021      |

      @A029 @req=A029-ERR-HTTP429
      Examples: A029 Available actions for user
        | operation |
        | A029      |

      @A031 @req=A031-ERR-HTTP429
      Examples: A031 Change shortlist
        | operation |
        | A031      |

      @A032 @req=A032-ERR-HTTP429
      Examples: A032 Change shortlist and send for triage
        | operation |
        | A032      |

      @A034 @req=A034-ERR-HTTP429
      Examples: A034 Update (cancel) appointment
        | operation |
        | A034      |

      @A036 @req=A036-ERR-HTTP429
      Examples: A036 Cancel referral
        | operation |
        | A036      |

      @A038 @req=A038-ERR-HTTP429
      Examples: A038 Retrieve appointment
        | operation |
        | A038      |

      @A038 @req=A038-versioned-ERR-HTTP429
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      |
        | A038-versioned |

      @A023 @req=A023-ERR-HTTP429
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation |
        | A023      |

      @A024 @req=A024-ERR-HTTP429
      Examples: A024 Retrieve advice and guidance request summary
        | operation |
        | A024      |

      @A024 @req=A024-versioned-ERR-HTTP429
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      |
        | A024-versioned |

      @A025 @req=A025-ERR-HTTP429
      Examples: A025 Retrieve advice and guidance conversation
        | operation |
        | A025      |

      @A026 @req=A026-ERR-HTTP429
      Examples: A026 Send advice and guidance response
        | operation |
        | A026      |

      @A027 @req=A027-ERR-HTTP429
      Examples: A027 Convert advice and guidance request to referral
        | operation |
        | A027      |

      @A043 @req=A043-ERR-HTTP429
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation |
        | A043      |

      @A044 @req=A044-ERR-HTTP429
      Examples: A044 Create advice and guidance request
        | operation |
        | A044      |

      @A006 @req=A006-ERR-HTTP429
      Examples: A006 Retrieve attachment (STU3, deprecated)
        | operation |
        | A006      |

      @A007 @req=A007-ERR-HTTP429
      Examples: A007 Retrieve clinical information (CRI PDF)
        | operation |
        | A007      |

      @A013 @req=A013-ERR-HTTP429
      Examples: A013 Accept referral
        | operation |
        | A013      |

      @A014 @req=A014-ERR-HTTP429
      Examples: A014 Reject referral
        | operation |
        | A014      |

      @A022 @req=A022-ERR-HTTP429
      Examples: A022 Cancel appointment, action later
        | operation |
        | A022      |

      @A028 @req=A028-ERR-HTTP429
      Examples: A028 Record triage (review) outcome
        | operation |
        | A028      |

  Rule: an unexpected failure of e-RS is HTTP 500 (6)

    @user-restricted @fault-injection
    Scenario Outline: <operation> failing unexpectedly
      Given the caller is a REFERRING_CLINICIAN
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 500
      When the caller sends a representative <operation> request
      Then the response status is 500
      And the response carries an X-Request-ID

      @A005 @req=A005-versioned-ERR-HTTP500
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      |
        | A005-versioned |

      @A012 @req=A012-ERR-HTTP500
      Examples: A012 Maintain referral letter
        | operation |
        | A012      |

      @A015 @req=A015-ERR-HTTP500
      Examples: A015 Retrieve appointment slots
        | operation |
        | A015      |

      @A016 @req=A016-ERR-HTTP500
      Examples: A016 Book or defer appointment
        | operation |
        | A016      |

      @A019 @req=A019-ERR-HTTP500
      Examples: A019 Generate patient letter
        | operation |
        | A019      |

      @A020 @req=A020-ERR-HTTP500
      Examples: A020 Upload file to document store
        | operation |
        | A020      |

      @A021 @req=A021-ERR-HTTP500
      Examples: A021 Create referral and send for triage
        | operation |
        | A021      |

      @A029 @req=A029-ERR-HTTP500
      Examples: A029 Available actions for user
        | operation |
        | A029      |

      @A031 @req=A031-ERR-HTTP500
      Examples: A031 Change shortlist
        | operation |
        | A031      |

      @A032 @req=A032-ERR-HTTP500
      Examples: A032 Change shortlist and send for triage
        | operation |
        | A032      |

      @A034 @req=A034-ERR-HTTP500
      Examples: A034 Update (cancel) appointment
        | operation |
        | A034      |

      @A036 @req=A036-ERR-HTTP500
      Examples: A036 Cancel referral
        | operation |
        | A036      |

      @A038 @req=A038-ERR-HTTP500
      Examples: A038 Retrieve appointment
        | operation |
        | A038      |

      @A038 @req=A038-versioned-ERR-HTTP500
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      |
        | A038-versioned |

      @A023 @req=A023-ERR-HTTP500
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation |
        | A023      |

      @A024 @req=A024-ERR-HTTP500
      Examples: A024 Retrieve advice and guidance request summary
        | operation |
        | A024      |

      @A024 @req=A024-versioned-ERR-HTTP500
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      |
        | A024-versioned |

      @A025 @req=A025-ERR-HTTP500
      Examples: A025 Retrieve advice and guidance conversation
        | operation |
        | A025      |

      @A026 @req=A026-ERR-HTTP500
      Examples: A026 Send advice and guidance response
        | operation |
        | A026      |

      @A027 @req=A027-ERR-HTTP500
      Examples: A027 Convert advice and guidance request to referral
        | operation |
        | A027      |

      @A043 @req=A043-ERR-HTTP500
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation |
        | A043      |

      @A044 @req=A044-ERR-HTTP500
      Examples: A044 Create advice and guidance request
        | operation |
        | A044      |

      @A006 @req=A006-ERR-HTTP500
      Examples: A006 Retrieve attachment (STU3, deprecated)
        | operation |
        | A006      |

      @A007 @req=A007-ERR-HTTP500
      Examples: A007 Retrieve clinical information (CRI PDF)
        | operation |
        | A007      |

      @A013 @req=A013-ERR-HTTP500
      Examples: A013 Accept referral
        | operation |
        | A013      |

      @A014 @req=A014-ERR-HTTP500
      Examples: A014 Reject referral
        | operation |
        | A014      |

      @A022 @req=A022-ERR-HTTP500
      Examples: A022 Cancel appointment, action later
        | operation |
        | A022      |

      @A028 @req=A028-ERR-HTTP500
      Examples: A028 Record triage (review) outcome
        | operation |
        | A028      |

  Rule: an unavailable e-RS answers 503 SYSTEM_UNAVAILABLE, transient, with Retry-After (6)

    @user-restricted @fault-injection @error=SYSTEM_UNAVAILABLE
    Scenario Outline: <operation> while e-RS is unavailable
      Given the caller is a REFERRING_CLINICIAN
      And the harness does not retry rate-limited or unavailable reads
      And the target will answer the next <operation> request with HTTP 503 and Retry-After 3
      When the caller sends a representative <operation> request
      Then the response status is 503
      And the response is an OperationOutcome with issue type transient and e-RS error code SYSTEM_UNAVAILABLE
      And the response says to retry after a whole number of seconds

      @A005 @req=A005-versioned-ERR-SYSTEM_UNAVAILABLE
      Examples: A005-versioned Retrieve referral request (versioned)
        | operation      |
        | A005-versioned |

      @A012 @req=A012-ERR-SYSTEM_UNAVAILABLE
      Examples: A012 Maintain referral letter
        | operation |
        | A012      |

      @A015 @req=A015-ERR-SYSTEM_UNAVAILABLE
      Examples: A015 Retrieve appointment slots
        | operation |
        | A015      |

      @A016 @req=A016-ERR-SYSTEM_UNAVAILABLE
      Examples: A016 Book or defer appointment
        | operation |
        | A016      |

      @A019 @req=A019-ERR-SYSTEM_UNAVAILABLE
      Examples: A019 Generate patient letter
        | operation |
        | A019      |

      @A020 @req=A020-ERR-SYSTEM_UNAVAILABLE
      Examples: A020 Upload file to document store
        | operation |
        | A020      |

      @A021 @req=A021-ERR-SYSTEM_UNAVAILABLE
      Examples: A021 Create referral and send for triage
        | operation |
        | A021      |

      @A029 @req=A029-ERR-SYSTEM_UNAVAILABLE
      Examples: A029 Available actions for user
        | operation |
        | A029      |

      @A031 @req=A031-ERR-SYSTEM_UNAVAILABLE
      Examples: A031 Change shortlist
        | operation |
        | A031      |

      @A032 @req=A032-ERR-SYSTEM_UNAVAILABLE
      Examples: A032 Change shortlist and send for triage
        | operation |
        | A032      |

      @A034 @req=A034-ERR-SYSTEM_UNAVAILABLE
      Examples: A034 Update (cancel) appointment
        | operation |
        | A034      |

      @A036 @req=A036-ERR-SYSTEM_UNAVAILABLE
      Examples: A036 Cancel referral
        | operation |
        | A036      |

      @A038 @req=A038-ERR-SYSTEM_UNAVAILABLE
      Examples: A038 Retrieve appointment
        | operation |
        | A038      |

      @A038 @req=A038-versioned-ERR-SYSTEM_UNAVAILABLE
      Examples: A038-versioned Retrieve appointment (versioned)
        | operation      |
        | A038-versioned |

      @A023 @req=A023-ERR-SYSTEM_UNAVAILABLE
      Examples: A023 Retrieve advice and guidance requests worklist
        | operation |
        | A023      |

      @A024 @req=A024-ERR-SYSTEM_UNAVAILABLE
      Examples: A024 Retrieve advice and guidance request summary
        | operation |
        | A024      |

      @A024 @req=A024-versioned-ERR-SYSTEM_UNAVAILABLE
      Examples: A024-versioned Retrieve advice and guidance request summary (versioned)
        | operation      |
        | A024-versioned |

      @A025 @req=A025-ERR-SYSTEM_UNAVAILABLE
      Examples: A025 Retrieve advice and guidance conversation
        | operation |
        | A025      |

      @A026 @req=A026-ERR-SYSTEM_UNAVAILABLE
      Examples: A026 Send advice and guidance response
        | operation |
        | A026      |

      @A027 @req=A027-ERR-SYSTEM_UNAVAILABLE
      Examples: A027 Convert advice and guidance request to referral
        | operation |
        | A027      |

      @A043 @req=A043-ERR-SYSTEM_UNAVAILABLE
      Examples: A043 Retrieve advice and guidance overview PDF
        | operation |
        | A043      |

      @A044 @req=A044-ERR-SYSTEM_UNAVAILABLE
      Examples: A044 Create advice and guidance request
        | operation |
        | A044      |

      @A006 @req=A006-ERR-SYSTEM_UNAVAILABLE
      Examples: A006 Retrieve attachment (STU3, deprecated)
        | operation |
        | A006      |

      @A007 @req=A007-ERR-SYSTEM_UNAVAILABLE
      Examples: A007 Retrieve clinical information (CRI PDF)
        | operation |
        | A007      |

      @A013 @req=A013-ERR-SYSTEM_UNAVAILABLE
      Examples: A013 Accept referral
        | operation |
        | A013      |

      @A014 @req=A014-ERR-SYSTEM_UNAVAILABLE
      Examples: A014 Reject referral
        | operation |
        | A014      |

      @A022 @req=A022-ERR-SYSTEM_UNAVAILABLE
      Examples: A022 Cancel appointment, action later
        | operation |
        | A022      |

      @A028 @req=A028-ERR-SYSTEM_UNAVAILABLE
      Examples: A028 Record triage (review) outcome
        | operation |
        | A028      |

  Rule: a _history read of a record the caller may not see is refused for that reason, as the plain read is (2 A005-versioned, A038-versioned)

    @A005 @user-restricted
    Scenario Outline: the _history read of the <referral> referral as a <role>
      Given the caller is a <role>
      When the caller retrieves the "<referral>" referral by its _history URL at its recorded version
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=PATIENT_ERROR @req=A005-versioned-ERR-PATIENT_ERROR
      Examples: a patient whose record cannot be used
        | role                | referral         | code          |
        | REFERRING_CLINICIAN | sensitivePatient | PATIENT_ERROR |

      @error=INVALID_REQUEST_TYPE @req=A005-versioned-ERR-INVALID_REQUEST_TYPE
      Examples: an advice and guidance request, not a referral
        | role                | referral          | code                 |
        | REFERRING_CLINICIAN | adviceAndGuidance | INVALID_REQUEST_TYPE |

      @error=NO_RELATIONSHIP @req=A005-versioned-ERR-NO_RELATIONSHIP
      Examples: no legitimate relationship with the referral
        | role                             | referral               | code            |
        | SERVICE_PROVIDER_CLINICIAN       | noProviderRelationship | NO_RELATIONSHIP |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | noProviderRelationship | NO_RELATIONSHIP |

    @A038 @user-restricted
    Scenario Outline: the _history read of the <appointment> appointment as a <role>
      Given the caller is a <role>
      When the caller retrieves the "<appointment>" appointment by its _history URL at its recorded version
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=PATIENT_ERROR @req=A038-versioned-ERR-PATIENT_ERROR
      Examples: a patient whose record cannot be used
        | role                | appointment      | code          |
        | REFERRING_CLINICIAN | sensitivePatient | PATIENT_ERROR |

      @error=NO_RELATIONSHIP @req=A038-versioned-ERR-NO_RELATIONSHIP
      Examples: an appointment of a referral raised by another practice
        | role                | appointment            | code            |
        | REFERRING_CLINICIAN | noProviderRelationship | NO_RELATIONSHIP |

@A010 @stu3 @user-restricted
Feature: A010 Patient service search
  A referrer searches for services that can take a referral (or advice and guidance request) for a
  patient: $ers.searchHealthcareServicesForPatient with eRS-PatientServiceSearch-Parameters-1 and
  search criteria eRS-ServiceSearchCriteria-Parameters-1, answered with eRS-FetchServices-List-1.
  Only referring clinicians and referring clinician admins may search, in user-restricted mode
  (catalogue section 2, A010). Requirements: A010-OP and each documented A010 error response.

  Rule: the documented example searches are answered (runnable against the NHS sandbox)

    @sandbox @req=A010-OP
    Scenario Outline: <role> sends the documented <request> search
      Given the caller is a <role>
      When the caller sends the prepared "<request>" A010 request
      Then the response status is 200
      And the response is FHIR JSON
      And the response is a List resource
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchServices-List-1"
      And the search results list at least 1 service
      And the response echoes the request's X-Correlation-ID
      And the response carries an X-Request-ID

      Examples:
        | role                      | request                 |
        | REFERRING_CLINICIAN       | referringClinician      |
        | REFERRING_CLINICIAN_ADMIN | referringClinicianAdmin |

  Rule: a referrer finds the services that match the criteria

    @req=A010-OP
    Scenario: a referring clinician searches by specialty and clinic type
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 200
      And the response is FHIR JSON
      And the response is a List resource
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchServices-List-1"
      And the search results include the "directlyBookable" service
      And the search results include the "indirectlyBookable" service
      And the search results do not include the "notInResults" service
      And the response echoes the request's X-Correlation-ID
      And the response carries an X-Request-ID

    @req=A010-OP
    Scenario: a referring clinician admin searches on behalf of a named referring clinician
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 200
      And the search results list at least 1 service

    @req=A010-OP
    Scenario Outline: a search by <criterion> alone
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter   | value    |
        | specialty   | (absent) |
        | clinicType  | (absent) |
        | <criterion> | <value>  |
      When the caller submits the service search
      Then the response status is 200
      And the search results list at least 1 service

      Examples:
        | criterion      | value                             |
        | clinicalTerm   | <search.clinicalTerm.known>       |
        | namedClinician | <search.namedClinician.spc>       |

    @req=A010-OP
    Scenario: a search near the patient's postcode sorted by waiting time
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter     | value                   |
        | postcode      | <search.postcode.known> |
        | distanceLimit | 200                     |
      And the search request parameters are changed:
        | parameter | value |
        | sortBy    | IWT   |
      When the caller submits the service search
      Then the response status is 200
      And the response is a List resource

    @req=A010-OP
    Scenario: an advice and guidance search finds advice services
      Given the caller is a REFERRING_CLINICIAN
      And an advice and guidance service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 200
      And the search results include the "adviceAndGuidance" service

  Rule: business rules on the search are enforced with the documented 422 codes

    @negative @error=FIELD_NOT_PERMITTED @req=A010-ERR-FIELD_NOT_PERMITTED
    Scenario Outline: <why> is not permitted
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter | value   |
        | <first>   | <one>   |
        | <second>  | <two>   |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code FIELD_NOT_PERMITTED

      Examples:
        | first                              | one           | second        | two      | why                                         |
        | distanceLimit                      | 10            | postcode      | (absent) | a distance limit without a postcode         |
        | priority                           | TWO_WEEK_WAIT | indicativeAppointmentWaitTimeLimit | 10 | a waiting-time limit on a two-week-wait search |
        | specialty                          | (absent)      | clinicType    | <search.criteria.clinicType> | a clinic type without a specialty |

    @negative @error=FIELD_NOT_PERMITTED @req=A010-ERR-FIELD_NOT_PERMITTED
    Scenario: a referring clinician may not name a referring clinician
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search request parameters are changed:
        | parameter          | value                             |
        | referringClinician | <search.referringClinician.valid> |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code FIELD_NOT_PERMITTED

    @negative @error=VALUE_IS_REQUIRED @req=A010-ERR-VALUE_IS_REQUIRED
    Scenario: a referring clinician admin must name the referring clinician
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a service search for the "referable" patient
      And the search request parameters are changed:
        | parameter          | value    |
        | referringClinician | (absent) |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code VALUE_IS_REQUIRED

    @negative @error=VALUE_IS_REQUIRED @req=A010-ERR-VALUE_IS_REQUIRED
    Scenario: a search needs a specialty, a clinical term or a named clinician
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter  | value    |
        | specialty  | (absent) |
        | clinicType | (absent) |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code VALUE_IS_REQUIRED

    @negative @error=INAPPROPRIATE_VALUE @req=A010-ERR-INAPPROPRIATE_VALUE
    Scenario: asking for all services rather than those available for booking
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter                 | value        |
        | commissioningProvisioning | ALL_SERVICES |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INAPPROPRIATE_VALUE

    @negative
    Scenario Outline: the patient cannot be referred: <why>
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "<patient>" patient
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=NO_REG_GP_PRACTICE @req=A010-ERR-NO_REG_GP_PRACTICE
      Examples: no registered practice
        | patient        | code               | why                              |
        | noRegisteredGp | NO_REG_GP_PRACTICE | no registered GP practice        |

      @error=PATIENT_ERROR @req=A010-ERR-PATIENT_ERROR
      Examples: record cannot be used
        | patient   | code          | why                                    |
        | sensitive | PATIENT_ERROR | the patient's record cannot be used    |

    @negative
    Scenario Outline: an organisation filter that is <why>
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter    | value          |
        | organisation | <organisation> |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=ORGANISATION_IS_CLOSED @req=A010-ERR-ORGANISATION_IS_CLOSED
      Examples: closed
        | organisation                   | code                   | why    |
        | <organisations.closed>         | ORGANISATION_IS_CLOSED | closed |

      @error=ORGANISATION_NOT_APPROPRIATE @req=A010-ERR-ORGANISATION_NOT_APPROPRIATE
      Examples: not a service location or provider
        | organisation                   | code                         | why                                      |
        | <organisations.notAppropriate> | ORGANISATION_NOT_APPROPRIATE | neither a service location nor a provider |

    @negative @error=REFERENCE_NOT_FOUND @req=A010-ERR-REFERENCE_NOT_FOUND
    Scenario Outline: a <thing> e-RS does not know
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "<patient>" patient
      And the search criteria are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code REFERENCE_NOT_FOUND

      Examples:
        | thing                     | patient   | parameter             | value                     |
        | patient                   | unknown   | ageAndGenderAppropriate | true                    |
        | postcode                  | referable | postcode              | <search.postcode.unknown> |
        | organisation              | referable | organisation          | <organisations.unknown>   |
        | named clinician           | referable | namedClinician        | <search.referringClinician.unknown> |

    @negative
    Scenario Outline: the named referring clinician <why>
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a service search for the "referable" patient
      And the search request parameters are changed:
        | parameter          | value       |
        | referringClinician | <clinician> |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=REFERENCED_USER_IS_NOT_ACTIVE @req=A010-ERR-REFERENCED_USER_IS_NOT_ACTIVE
      Examples: inactive
        | clinician                            | code                          | why                  |
        | <search.referringClinician.inactive> | REFERENCED_USER_IS_NOT_ACTIVE | is no longer active  |

      @error=REFERENCED_USER_IS_NOT_RC @req=A010-ERR-REFERENCED_USER_IS_NOT_RC
      Examples: not a referring clinician
        | clinician                         | code                      | why                                   |
        | <search.referringClinician.notRc> | REFERENCED_USER_IS_NOT_RC | does not hold the referring clinician role |

      @error=REFERENCED_USER_IS_NOT_RC_AT_ORG @req=A010-ERR-REFERENCED_USER_IS_NOT_RC_AT_ORG
      Examples: not a referring clinician here
        | clinician                              | code                             | why                                            |
        | <search.referringClinician.notRcAtOrg> | REFERENCED_USER_IS_NOT_RC_AT_ORG | is a referring clinician only at another organisation |

      @error=REFERENCED_USER_NOT_IN_ORG @req=A010-ERR-REFERENCED_USER_NOT_IN_ORG
      Examples: not in the organisation
        | clinician                            | code                       | why                                  |
        | <search.referringClinician.notInOrg> | REFERENCED_USER_NOT_IN_ORG | does not belong to the caller's organisation |

    @negative @error=REFERENCED_USER_IS_NOT_SPC @req=A010-ERR-REFERENCED_USER_IS_NOT_SPC
    Scenario: a named clinician who is not a service provider clinician
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter      | value                          |
        | specialty      | (absent)                       |
        | clinicType     | (absent)                       |
        | namedClinician | <search.namedClinician.notSpc> |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code REFERENCED_USER_IS_NOT_SPC

    @negative @error=SNOMED_NOT_FOUND @req=A010-ERR-SNOMED_NOT_FOUND
    Scenario: a clinical term that is not in the e-RS dictionary
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter    | value                         |
        | specialty    | (absent)                      |
        | clinicType   | (absent)                      |
        | clinicalTerm | <search.clinicalTerm.unknown> |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code SNOMED_NOT_FOUND

  Rule: the request must be well-formed FHIR for the operation

    @negative @error=MISSING_VALUE @req=A010-ERR-MISSING_VALUE
    Scenario Outline: the mandatory parameter <parameter> is missing
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search request parameters are changed:
        | parameter   | value    |
        | <parameter> | (absent) |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

      Examples:
        | parameter   |
        | patient     |
        | sortBy      |
        | requestType |

    @negative @error=MISSING_VALUE @req=A010-ERR-MISSING_VALUE
    Scenario: the mandatory search criterion priority is missing
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search criteria are changed:
        | parameter | value    |
        | priority  | (absent) |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

    @negative @error=INVALID_VALUE @req=A010-ERR-INVALID_VALUE
    Scenario: an NHS number that fails its check digit
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "invalidChecksum" patient
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

    @negative @error=INVALID_CODE @req=A010-ERR-INVALID_CODE
    Scenario Outline: a <parameter> code outside its code system
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search request parameters are changed:
        | parameter   | value      |
        | <parameter> | NOT_A_CODE |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_CODE

      Examples:
        | parameter   |
        | sortBy      |
        | requestType |

    @negative @error=UNEXPECTED_FIELD @req=A010-ERR-UNEXPECTED_FIELD
    Scenario: a parameter the operation does not define
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search request parameters are changed:
        | parameter       | value |
        | preferredColour | blue  |
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

    @negative @error=INVALID_FHIR_STRUCTURE @req=A010-ERR-INVALID_FHIR_STRUCTURE
    Scenario: a parameter value sent as a JSON array instead of an object
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the search request parameter "patient" holds a list instead of a single value
      When the caller submits the service search
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

  Rule: roles, headers and media types are checked first

    @negative @error=FORBIDDEN @req=A010-ERR-403-FORBIDDEN
    Scenario Outline: <role> may not search for services
      Given the caller is a <role>
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      Examples: roles the A010 table does not list
        | role                             | why                                  |
        | REFERRING_ADMIN                  | administrative role                  |
        | SERVICE_PROVIDER_CLINICIAN       | providers do not refer               |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | providers do not refer               |
        | SERVICE_PROVIDER_ADMIN           | providers do not refer               |

    @app-restricted @negative @error=FORBIDDEN @req=A010-ERR-403-FORBIDDEN
    Scenario: service search is not available to applications
      Given the caller is the referrer application
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

    @negative @authentication @error=NO_ACCESS @req=A010-ERR-403-NO_ACCESS
    Scenario: an application-only business function is refused in user-restricted mode
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "NHSD-eRS-Business-Function" header as "REFERRER_AUTHORISED_APPLICATION"
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code NO_ACCESS

    @negative @error=MISSING_HEADER @req=A010-ERR-MISSING_HEADER
    Scenario: the end-user organisation header is mandatory
      Given the caller is a REFERRING_CLINICIAN
      And the request omits the "NHSD-End-User-Organisation-ODS" header
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code MISSING_HEADER

    @negative @authentication @req=A010-ERR-HTTP401
    Scenario: a request without a token is unauthorised with an empty body
      Given the caller is a REFERRING_CLINICIAN
      And the request is sent without an access token
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 401
      And the response body is empty

    @negative @req=A010-ERR-HTTP415
    Scenario: a search body sent as plain JSON rather than FHIR JSON is refused
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "Content-Type" header as "text/plain"
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 415

    @negative @req=A010-ERR-HTTP406
    Scenario: a caller that accepts only XML gets 406 Not Acceptable
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "Accept" header as "application/fhir+xml"
      And a service search for the "referable" patient
      When the caller submits the service search
      Then the response status is 406

  Rule: platform and service faults reach the caller in their documented shape

    @negative @fault-injection
    Scenario Outline: HTTP <status> from e-RS
      Given the caller is a REFERRING_CLINICIAN
      And a service search for the "referable" patient
      And the target will answer the next A010 request with HTTP <status> and Retry-After 3
      When the caller submits the service search
      Then the response status is <status>
      And <body>

      @req=A010-ERR-HTTP429
      Examples: rate limited (the proxy strips the STU3 payload)
        | status | body                       |
        | 429    | the response body is empty |

      @req=A010-ERR-HTTP500
      Examples: unexpected failure
        | status | body                                 |
        | 500    | the response carries an X-Request-ID |

      @error=SYSTEM_UNAVAILABLE @req=A010-ERR-SYSTEM_UNAVAILABLE
      Examples: unavailable, retry later
        | status | body                                                                                                 |
        | 503    | the response is an OperationOutcome with issue type transient and e-RS error code SYSTEM_UNAVAILABLE |

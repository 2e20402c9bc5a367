@A011 @stu3 @user-restricted
Feature: A011 Create referral
  A referrer creates a referral ($ers.createReferral, eRS-CreateReferral-Parameters-1) from a
  shortlist of 1 to 20 services found by a patient service search (A010) with the same criteria.
  The new UBRN starts NOT_BOOKED; nothing is sent or booked yet. Only referring clinicians and
  referring clinician admins may create referrals, in user-restricted mode (catalogue section 2,
  A011; lifecycle in section 8.1). Requirements: A011-OP and each documented A011 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: the documented example requests create referrals

    @req=A011-OP
    Scenario Outline: <role> creates a referral from the documented <request> request
      Given the caller is a <role>
      When the caller sends the prepared "<request>" A011 request
      Then the response status is 201
      And the response is FHIR JSON
      And the response is a ReferralRequest resource
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1"
      And the referral is in state NOT_BOOKED
      And the created referral shortlists the services in the prepared request
      And the response carries a weak ETag
      And the response echoes the request's X-Correlation-ID

      Examples:
        | role                      | request                 |
        | REFERRING_CLINICIAN       | referringClinician      |
        | REFERRING_CLINICIAN_ADMIN | referringClinicianAdmin |

  Rule: a referral is created from services the search returned

    @stateful @req=A011-OP
    Scenario: a referring clinician creates a referral and reads it back
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 2 services found
      When the caller creates the referral
      Then a referral is created in state NOT_BOOKED at version 1
      And the response is FHIR JSON
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1"
      And the weak ETag equals the resource's meta.versionId
      And the created referral shortlists the services requested
      And the response echoes the request's X-Correlation-ID
      And reading it back returns the same referral at the same version

    @stateful @req=A011-OP
    Scenario: a referring clinician admin creates a referral for a named referring clinician
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      When the caller creates the referral
      Then a referral is created in state NOT_BOOKED at version 1

    @stateful @req=A011-OP
    Scenario: the new referral waits on the referrer's awaiting-booking worklist
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      When the caller creates the referral
      And the caller fetches the AWAITING_BOOKING worklist
      Then the worklist includes the referral just created

  Rule: the shortlist must hold up to 20 distinct services from the same search

    @negative @error=TOO_MANY_ITEMS @req=A011-ERR-TOO_MANY_ITEMS
    Scenario: more than 20 services on a shortlist
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the shortlist is padded to 21 services
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code TOO_MANY_ITEMS

    @negative @error=DUPLICATE_SERVICE @req=A011-ERR-DUPLICATE_SERVICE
    Scenario: the same service twice on a shortlist
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the shortlist lists its first service twice
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code DUPLICATE_SERVICE

    @negative @error=SHORTLISTED_SERVICE_NOT_IN_RESULTS @req=A011-ERR-SHORTLISTED_SERVICE_NOT_IN_RESULTS
    Scenario: a shortlisted service the search criteria do not return
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the shortlist also lists the "notInResults" service
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code SHORTLISTED_SERVICE_NOT_IN_RESULTS

    @negative @error=INAPPROPRIATE_VALUE @req=A011-ERR-INAPPROPRIATE_VALUE
    Scenario: a service that needs a referral letter, when no letter is intended
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the shortlist also lists the "requiresLetter" service
      And the referral request parameters are changed:
        | parameter                    | value                |
        | intentionToAddReferralLetter | NOT_INTENDING_TO_ADD |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INAPPROPRIATE_VALUE

    @negative @error=INAPPROPRIATE_VALUE @req=A011-ERR-INAPPROPRIATE_VALUE
    Scenario: a service that does not take appointment requests
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the shortlist also lists the "adviceAndGuidance" service
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INAPPROPRIATE_VALUE

  Rule: the patient, clinicians and criteria are checked as for the search

    @negative
    Scenario Outline: the referral is for a patient who <why>
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameters are changed:
        | parameter | value     |
        | patient   | <patient> |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=NO_REG_GP_PRACTICE @req=A011-ERR-NO_REG_GP_PRACTICE
      Examples: no registered practice
        | patient                   | code               | why                             |
        | <patients.noRegisteredGp> | NO_REG_GP_PRACTICE | has no registered GP practice   |

      @error=PATIENT_ERROR @req=A011-ERR-PATIENT_ERROR
      Examples: record cannot be used
        | patient              | code          | why                           |
        | <patients.sensitive> | PATIENT_ERROR | has a record that cannot be used |

      @error=REFERENCE_NOT_FOUND @req=A011-ERR-REFERENCE_NOT_FOUND
      Examples: unknown
        | patient            | code                | why                     |
        | <patients.unknown> | REFERENCE_NOT_FOUND | e-RS does not know      |

      @error=INVALID_VALUE @req=A011-ERR-INVALID_VALUE
      Examples: bad NHS number
        | patient                    | code          | why                                      |
        | <patients.invalidChecksum> | INVALID_VALUE | has an NHS number failing its check digit |

    @negative @error=FIELD_NOT_PERMITTED @req=A011-ERR-FIELD_NOT_PERMITTED
    Scenario: a referring clinician may not name a referring clinician
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameters are changed:
        | parameter          | value                             |
        | referringClinician | <search.referringClinician.valid> |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code FIELD_NOT_PERMITTED

    @negative @error=VALUE_IS_REQUIRED @req=A011-ERR-VALUE_IS_REQUIRED
    Scenario: a referring clinician admin must name the referring clinician
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameters are changed:
        | parameter          | value    |
        | referringClinician | (absent) |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code VALUE_IS_REQUIRED

    @negative
    Scenario Outline: the named referring clinician <why>
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameters are changed:
        | parameter          | value       |
        | referringClinician | <clinician> |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=REFERENCED_USER_IS_NOT_ACTIVE @req=A011-ERR-REFERENCED_USER_IS_NOT_ACTIVE
      Examples: inactive
        | clinician                            | code                          | why                 |
        | <search.referringClinician.inactive> | REFERENCED_USER_IS_NOT_ACTIVE | is no longer active |

      @error=REFERENCED_USER_IS_NOT_RC @req=A011-ERR-REFERENCED_USER_IS_NOT_RC
      Examples: not a referring clinician
        | clinician                         | code                      | why                                        |
        | <search.referringClinician.notRc> | REFERENCED_USER_IS_NOT_RC | does not hold the referring clinician role |

      @error=REFERENCED_USER_IS_NOT_RC_AT_ORG @req=A011-ERR-REFERENCED_USER_IS_NOT_RC_AT_ORG
      Examples: not a referring clinician here
        | clinician                              | code                             | why                                                   |
        | <search.referringClinician.notRcAtOrg> | REFERENCED_USER_IS_NOT_RC_AT_ORG | is a referring clinician only at another organisation |

      @error=REFERENCED_USER_NOT_IN_ORG @req=A011-ERR-REFERENCED_USER_NOT_IN_ORG
      Examples: not in the organisation
        | clinician                            | code                       | why                                          |
        | <search.referringClinician.notInOrg> | REFERENCED_USER_NOT_IN_ORG | does not belong to the caller's organisation |

    @negative
    Scenario Outline: the shortlist's search criteria name <why>
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the shortlist search criteria parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=ORGANISATION_IS_CLOSED @req=A011-ERR-ORGANISATION_IS_CLOSED
      Examples: a closed organisation
        | parameter    | value                  | code                   | why                   |
        | organisation | <organisations.closed> | ORGANISATION_IS_CLOSED | a closed organisation |

      @error=ORGANISATION_NOT_APPROPRIATE @req=A011-ERR-ORGANISATION_NOT_APPROPRIATE
      Examples: an organisation of the wrong kind
        | parameter    | value                          | code                         | why                                        |
        | organisation | <organisations.notAppropriate> | ORGANISATION_NOT_APPROPRIATE | neither a service location nor a provider |

      @error=SNOMED_NOT_FOUND @req=A011-ERR-SNOMED_NOT_FOUND
      Examples: an unknown clinical term
        | parameter    | value                         | code             | why                                  |
        | clinicalTerm | <search.clinicalTerm.unknown> | SNOMED_NOT_FOUND | a term not in the e-RS dictionary    |

      @error=REFERENCED_USER_IS_NOT_SPC @req=A011-ERR-REFERENCED_USER_IS_NOT_SPC
      Examples: a named clinician who is not a provider clinician
        | parameter      | value                          | code                       | why                                         |
        | namedClinician | <search.namedClinician.notSpc> | REFERENCED_USER_IS_NOT_SPC | a named clinician who is not a provider clinician |

  Rule: the request must be well-formed FHIR for the operation

    @negative @error=MISSING_VALUE @req=A011-ERR-MISSING_VALUE
    Scenario Outline: the mandatory parameter <parameter> is missing
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameters are changed:
        | parameter   | value    |
        | <parameter> | (absent) |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

      Examples:
        | parameter                       |
        | patient                         |
        | intentionToAddReferralLetter    |
        | firstReminderLetterFollowUpDays |
        | shortlist                       |

    @negative @error=INVALID_VALUE @req=A011-ERR-INVALID_VALUE
    Scenario Outline: a pathway start date <why>
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameters are changed:
        | parameter             | value   |
        | eReferralPathwayStart | <start> |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

      Examples:
        | start                    | why                              |
        | 2999-01-01T00:00:00.000Z | in the future                    |
        | 2001-01-01T00:00:00.000Z | more than 365 days in the past   |

    @negative @error=INVALID_CODE @req=A011-ERR-INVALID_CODE
    Scenario: a letter intention outside eRS-ReferralLetterIntention-1
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameters are changed:
        | parameter                    | value      |
        | intentionToAddReferralLetter | NOT_A_CODE |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_CODE

    @negative @error=UNEXPECTED_FIELD @req=A011-ERR-UNEXPECTED_FIELD
    Scenario: a parameter the operation does not define
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameters are changed:
        | parameter | value  |
        | urgency   | urgent |
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

    @negative @error=INVALID_FHIR_STRUCTURE @req=A011-ERR-INVALID_FHIR_STRUCTURE
    Scenario: a parameter value sent as a JSON array instead of an object
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the referral request parameter "patient" holds a list instead of a single value
      When the caller creates the referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

  Rule: roles, headers and media types are checked first

    @negative @error=FORBIDDEN @req=A011-ERR-403-FORBIDDEN
    Scenario Outline: <role> may not create referrals
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the caller is a <role>
      When the caller creates the referral
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      Examples: roles the A011 table does not list
        | role                       | why                    |
        | REFERRING_ADMIN            | administrative role    |
        | SERVICE_PROVIDER_CLINICIAN | providers do not refer |
        | BOOKING_MANAGER            | not a referrer role    |

    @negative @authentication @error=NO_ACCESS @req=A011-ERR-403-NO_ACCESS
    Scenario: a role the user does not hold at the organisation is refused
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the request sends the "NHSD-eRS-Business-Function" header as "REFERRING_CLINICIAN_ADMIN"
      When the caller creates the referral
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code NO_ACCESS

    @negative @error=MISSING_HEADER @req=A011-ERR-MISSING_HEADER
    Scenario: the end-user organisation header is mandatory
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the request omits the "NHSD-End-User-Organisation-ODS" header
      When the caller creates the referral
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code MISSING_HEADER

    @negative @authentication @req=A011-ERR-HTTP401
    Scenario: an access token the target never issued is unauthorised
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the request is sent with an access token the target never issued
      When the caller creates the referral
      Then the response status is 401
      And the response body is empty

    @negative @req=A011-ERR-HTTP415
    Scenario: a referral sent as XML is refused
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the request sends the "Content-Type" header as "application/fhir+xml"
      When the caller creates the referral
      Then the response status is 415

    @negative @req=A011-ERR-HTTP406
    Scenario: a caller that accepts only XML gets 406 Not Acceptable
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the request sends the "Accept" header as "application/fhir+xml"
      When the caller creates the referral
      Then the response status is 406

  Rule: platform and service faults reach the caller in their documented shape

    @negative @fault-injection
    Scenario Outline: HTTP <status> from e-RS
      Given the caller has searched for services for the "referable" patient
      And a new referral for the "referable" patient shortlisting the first 1 service found
      And the target will answer the next A011 request with HTTP <status> and Retry-After 3
      When the caller creates the referral
      Then the response status is <status>
      And <body>

      @req=A011-ERR-HTTP429
      Examples: rate limited (the proxy strips the STU3 payload)
        | status | body                       |
        | 429    | the response body is empty |

      @req=A011-ERR-HTTP500
      Examples: unexpected failure
        | status | body                                 |
        | 500    | the response carries an X-Request-ID |

      @error=SYSTEM_UNAVAILABLE @req=A011-ERR-SYSTEM_UNAVAILABLE
      Examples: unavailable, retry later
        | status | body                                                                                                 |
        | 503    | the response is an OperationOutcome with issue type transient and e-RS error code SYSTEM_UNAVAILABLE |

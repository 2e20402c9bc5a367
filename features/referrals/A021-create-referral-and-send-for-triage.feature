@A021 @stu3 @user-restricted
Feature: A021 Create referral and send for triage
  Deprecated (use A011 + A016): a referrer creates a referral for exactly one service that supports the
  triage request flow and sends it for triage in one call. The shared create-request table of A011
  applies, plus: one service only, letter intention NEED_TO_ADD_LATER, first reminder after 0 days. The
  new UBRN is AWAITING_TRIAGE with a proposed TRIAGE appointment (catalogue section 2, A021; lifecycle
  8.1). Requirements: A021-OP and each documented A021 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: the new referral goes straight to triage

    @stateful @req=A021-OP
    Scenario Outline: <role> creates a referral for triage
      Given the caller is a <role>
      When the caller creates a referral for triage at the "triage" service
      Then the response status is 201
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1"
      And the weak ETag equals the resource's meta.versionId
      And the referral is in state AWAITING_TRIAGE
      And the referral under test is now in state AWAITING_TRIAGE

      Examples:
        | role                      |
        | REFERRING_CLINICIAN       |
        | REFERRING_CLINICIAN_ADMIN |

  Rule: the triage rules on top of the A011 table

    @negative @error=TOO_MANY_ITEMS @req=A021-ERR-TOO_MANY_ITEMS
    Scenario: two services
      When the caller creates a referral for triage at the "triage, directlyBookable" services
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code TOO_MANY_ITEMS

    @negative @error=INAPPROPRIATE_VALUE @req=A021-ERR-INAPPROPRIATE_VALUE
    Scenario: a service that does not take triage requests
      When the caller creates a referral for triage at the "directlyBookable" service
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INAPPROPRIATE_VALUE

    @negative @error=INAPPROPRIATE_VALUE @req=A021-ERR-INAPPROPRIATE_VALUE
    Scenario Outline: a triage request that <why>
      Given the triage request intends <intention> with the first reminder after <days> days
      When the caller creates a referral for triage at the "triage" service
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      Examples:
        | intention            | days | code                | why                               |
        | NOT_INTENDING_TO_ADD | 0    | INAPPROPRIATE_VALUE | intends no referral letter        |
        | NEED_TO_ADD_LATER    | 7    | INAPPROPRIATE_VALUE | sets a first reminder after 7 days |

    @negative @error=DUPLICATE_SERVICE @req=A021-ERR-DUPLICATE_SERVICE
    Scenario: the triage service twice
      When the caller creates a referral for triage at the "triage, triage" services
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code DUPLICATE_SERVICE

    @negative @error=SHORTLISTED_SERVICE_NOT_IN_RESULTS @req=A021-ERR-SHORTLISTED_SERVICE_NOT_IN_RESULTS
    Scenario: a service the search did not find
      When the caller creates a referral for triage at the "triage, notInResults" services
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code SHORTLISTED_SERVICE_NOT_IN_RESULTS

    @negative @error=FORBIDDEN @req=A021-ERR-403-FORBIDDEN
    Scenario: a referring admin may not create referrals
      Given the caller is a REFERRING_ADMIN
      When the caller creates a referral for triage at the "triage" service
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

  Rule: the shared create-request table of A011 applies

    @negative
    Scenario Outline: a triage referral for a patient who <why>
      Given a new referral for triage at the "triage" service
      And the referral request parameters are changed:
        | parameter | value     |
        | patient   | <patient> |
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=NO_REG_GP_PRACTICE @req=A021-ERR-NO_REG_GP_PRACTICE
      Examples: no registered practice
        | patient                   | code               | why                           |
        | <patients.noRegisteredGp> | NO_REG_GP_PRACTICE | has no registered GP practice |

      @error=PATIENT_ERROR @req=A021-ERR-PATIENT_ERROR
      Examples: record cannot be used
        | patient              | code          | why                              |
        | <patients.sensitive> | PATIENT_ERROR | has a record that cannot be used |

      @error=REFERENCE_NOT_FOUND @req=A021-ERR-REFERENCE_NOT_FOUND
      Examples: unknown
        | patient            | code                | why                |
        | <patients.unknown> | REFERENCE_NOT_FOUND | e-RS does not know |

      @error=INVALID_VALUE @req=A021-ERR-INVALID_VALUE
      Examples: bad NHS number
        | patient                    | code          | why                                       |
        | <patients.invalidChecksum> | INVALID_VALUE | has an NHS number failing its check digit |

    @negative @error=FIELD_NOT_PERMITTED @req=A021-ERR-FIELD_NOT_PERMITTED
    Scenario: a referring clinician may not name a referring clinician
      Given a new referral for triage at the "triage" service
      And the referral request parameters are changed:
        | parameter          | value                             |
        | referringClinician | <search.referringClinician.valid> |
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code FIELD_NOT_PERMITTED

    @negative @error=VALUE_IS_REQUIRED @req=A021-ERR-VALUE_IS_REQUIRED
    Scenario: a referring clinician admin must name the referring clinician
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a new referral for triage at the "triage" service
      And the referral request parameters are changed:
        | parameter          | value    |
        | referringClinician | (absent) |
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code VALUE_IS_REQUIRED

    @negative
    Scenario Outline: the named referring clinician <why>
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a new referral for triage at the "triage" service
      And the referral request parameters are changed:
        | parameter          | value       |
        | referringClinician | <clinician> |
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=REFERENCED_USER_IS_NOT_ACTIVE @req=A021-ERR-REFERENCED_USER_IS_NOT_ACTIVE
      Examples: inactive
        | clinician                            | code                          | why                 |
        | <search.referringClinician.inactive> | REFERENCED_USER_IS_NOT_ACTIVE | is no longer active |

      @error=REFERENCED_USER_IS_NOT_RC @req=A021-ERR-REFERENCED_USER_IS_NOT_RC
      Examples: not a referring clinician
        | clinician                         | code                      | why                                        |
        | <search.referringClinician.notRc> | REFERENCED_USER_IS_NOT_RC | does not hold the referring clinician role |

      @error=REFERENCED_USER_IS_NOT_RC_AT_ORG @req=A021-ERR-REFERENCED_USER_IS_NOT_RC_AT_ORG
      Examples: not a referring clinician here
        | clinician                              | code                             | why                                                   |
        | <search.referringClinician.notRcAtOrg> | REFERENCED_USER_IS_NOT_RC_AT_ORG | is a referring clinician only at another organisation |

      @error=REFERENCED_USER_NOT_IN_ORG @req=A021-ERR-REFERENCED_USER_NOT_IN_ORG
      Examples: not in the organisation
        | clinician                            | code                       | why                                          |
        | <search.referringClinician.notInOrg> | REFERENCED_USER_NOT_IN_ORG | does not belong to the caller's organisation |

    @negative
    Scenario Outline: the shortlist's search criteria name <why>
      Given a new referral for triage at the "triage" service
      And the shortlist search criteria parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=ORGANISATION_IS_CLOSED @req=A021-ERR-ORGANISATION_IS_CLOSED
      Examples: a closed organisation
        | parameter    | value                  | code                   | why                   |
        | organisation | <organisations.closed> | ORGANISATION_IS_CLOSED | a closed organisation |

      @error=ORGANISATION_NOT_APPROPRIATE @req=A021-ERR-ORGANISATION_NOT_APPROPRIATE
      Examples: an organisation of the wrong kind
        | parameter    | value                          | code                         | why                                       |
        | organisation | <organisations.notAppropriate> | ORGANISATION_NOT_APPROPRIATE | neither a service location nor a provider |

      @error=SNOMED_NOT_FOUND @req=A021-ERR-SNOMED_NOT_FOUND
      Examples: an unknown clinical term
        | parameter    | value                         | code             | why                               |
        | clinicalTerm | <search.clinicalTerm.unknown> | SNOMED_NOT_FOUND | a term not in the e-RS dictionary |

      @error=REFERENCED_USER_IS_NOT_SPC @req=A021-ERR-REFERENCED_USER_IS_NOT_SPC
      Examples: a named clinician who is not a provider clinician
        | parameter      | value                          | code                       | why                                               |
        | namedClinician | <search.namedClinician.notSpc> | REFERENCED_USER_IS_NOT_SPC | a named clinician who is not a provider clinician |

      @error=INVALID_CODE @req=A021-ERR-INVALID_CODE
      Examples: a priority outside eRS-Priority-1
        | parameter | value      | code         | why                            |
        | priority  | NOT_A_CODE | INVALID_CODE | a priority that is not a code |

  Rule: the request must be well-formed FHIR for the operation

    @negative @error=MISSING_VALUE @req=A021-ERR-MISSING_VALUE
    Scenario Outline: the mandatory parameter <parameter> is missing
      Given a new referral for triage at the "triage" service
      And the referral request parameters are changed:
        | parameter   | value    |
        | <parameter> | (absent) |
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

      Examples:
        | parameter                       |
        | patient                         |
        | intentionToAddReferralLetter    |
        | firstReminderLetterFollowUpDays |
        | shortlist                       |

    @negative @error=INVALID_VALUE @req=A021-ERR-INVALID_VALUE
    Scenario: a pathway start date in the future
      Given a new referral for triage at the "triage" service
      And the referral request parameters are changed:
        | parameter             | value                    |
        | eReferralPathwayStart | 2999-01-01T00:00:00.000Z |
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

    @negative @error=UNEXPECTED_FIELD @req=A021-ERR-UNEXPECTED_FIELD
    Scenario: a parameter the operation does not define
      Given a new referral for triage at the "triage" service
      And the referral request parameters are changed:
        | parameter | value  |
        | urgency   | urgent |
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

    @negative @error=INVALID_FHIR_STRUCTURE @req=A021-ERR-INVALID_FHIR_STRUCTURE
    Scenario: a parameter value sent as a JSON array instead of an object
      Given a new referral for triage at the "triage" service
      And the referral request parameter "patient" holds a list instead of a single value
      When the caller creates the referral and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

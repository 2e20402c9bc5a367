@A044 @stu3 @user-restricted
Feature: A044 Create advice and guidance request
  A referrer asks a provider's advice and guidance service for advice about a patient
  ($ers.createAdviceAndGuidance): a shortlist of exactly one A&G service found by an A&G search (A010), the
  request text, and whether the provider may convert it to a referral. The answer is 200 (not 201, catalogue
  16.13) with the new request, PROVIDER_RESPONSE_REQUIRED at version 1, and its first message (catalogue
  section 2, A044; lifecycle 8.3). The create-request table of A011 applies. Requirements: A044-OP and each
  documented A044 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: the documented example requests create A&G requests (runnable against the NHS sandbox)

    @req=A044-OP
    Scenario Outline: <role> sends the documented <request> request
      Given the caller is a <role>
      When the caller sends the prepared "<request>" A044 request
      Then the response status is 200
      And the response is a Parameters resource holding the createdCommunicationRequest CommunicationRequest
      And the response is a Parameters resource holding the createdCommunication Communication
      And the response echoes the request's X-Correlation-ID

      @sandbox
      Examples: the referring clinician admin's example
        | role                      | request                 |
        | REFERRING_CLINICIAN_ADMIN | referringClinicianAdmin |

      # Not @sandbox: the sandbox's answer to this example breaks base FHIR: the created Communication's sender
      # points at #PractitionerRole.103264992985... while its contained PractitionerRole is PractitionerRole.021600556514...
      # (ref-1; test/fhir/examples.test.ts, docs/targets.md). The simulator answers it correctly.
      Examples: the referring clinician's example
        | role                | request            |
        | REFERRING_CLINICIAN | referringClinician |

  Rule: a new request waits for the provider's response

    @stateful @req=A044-OP
    Scenario Outline: <role> asks an A&G service for advice and the provider sees it
      Given the caller is a <role>
      When the caller asks the "adviceAndGuidance" service for advice
      Then the response is a Parameters resource holding the createdCommunicationRequest CommunicationRequest
      And the advice and guidance request under test is now PROVIDER_RESPONSE_REQUIRED
      And the advice and guidance request under test is now at version 1

      Examples:
        | role                      |
        | REFERRING_CLINICIAN       |
        | REFERRING_CLINICIAN_ADMIN |

  Rule: the shortlist holds exactly one A&G service the search returned

    @negative
    Scenario Outline: a shortlist that <why>
      Given a request for advice from the "adviceAndGuidance" service
      And <change>
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=TOO_MANY_ITEMS @req=A044-ERR-TOO_MANY_ITEMS
      Examples: two services
        | change                                                        | code           | why                            |
        | the advice request shortlist also lists the "slowAdvice" service | TOO_MANY_ITEMS | names a second A&G service     |

      @error=DUPLICATE_SERVICE @req=A044-ERR-DUPLICATE_SERVICE
      Examples: the same service twice
        | change                                       | code              | why                        |
        | the advice request shortlist lists its service twice | DUPLICATE_SERVICE | names its service twice |

      @error=INAPPROPRIATE_VALUE @req=A044-ERR-INAPPROPRIATE_VALUE
      Examples: not an A&G service
        | change                                                              | code                | why                                      |
        | the advice request shortlists the "directlyBookable" service instead | INAPPROPRIATE_VALUE | names a service that takes no A&G requests |

      @error=SHORTLISTED_SERVICE_NOT_IN_RESULTS @req=A044-ERR-SHORTLISTED_SERVICE_NOT_IN_RESULTS
      Examples: not found by the criteria
        | change                                                        | code                               | why                                         |
        | the advice request shortlists the "slowAdvice" service instead | SHORTLISTED_SERVICE_NOT_IN_RESULTS | names an A&G service its criteria do not find |

      @error=REFERENCE_NOT_FOUND @req=A044-ERR-REFERENCE_NOT_FOUND
      Examples: unknown service
        | change                                                     | code                | why                       |
        | the advice request shortlists the "unknown" service instead | REFERENCE_NOT_FOUND | names a service e-RS does not hold |

  Rule: the patient, the clinicians and the search criteria are checked as for a referral

    @negative
    Scenario Outline: a request for a patient who <why>
      Given a request for advice from the "adviceAndGuidance" service
      And the advice request parameters are changed:
        | parameter | value     |
        | patient   | <patient> |
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=NO_REG_GP_PRACTICE @req=A044-ERR-NO_REG_GP_PRACTICE
      Examples: no registered practice
        | patient                   | code               | why                           |
        | <patients.noRegisteredGp> | NO_REG_GP_PRACTICE | has no registered GP practice |

      @error=PATIENT_ERROR @req=A044-ERR-PATIENT_ERROR
      Examples: record cannot be used
        | patient              | code          | why                              |
        | <patients.sensitive> | PATIENT_ERROR | has a record that cannot be used |

      @error=INVALID_VALUE @req=A044-ERR-INVALID_VALUE
      Examples: bad NHS number
        | patient                    | code          | why                                       |
        | <patients.invalidChecksum> | INVALID_VALUE | has an NHS number failing its check digit |

    @negative @error=FIELD_NOT_PERMITTED @req=A044-ERR-FIELD_NOT_PERMITTED
    Scenario: a referring clinician may not name a referring clinician
      Given a request for advice from the "adviceAndGuidance" service
      And the advice request parameters are changed:
        | parameter          | value                             |
        | referringClinician | <search.referringClinician.valid> |
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code FIELD_NOT_PERMITTED

    @negative
    Scenario Outline: a referring clinician admin names a clinician who <why>
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a request for advice from the "adviceAndGuidance" service
      And the advice request parameters are changed:
        | parameter          | value       |
        | referringClinician | <clinician> |
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=VALUE_IS_REQUIRED @req=A044-ERR-VALUE_IS_REQUIRED
      Examples: none named
        | clinician | code              | why           |
        | (absent)  | VALUE_IS_REQUIRED | is not named  |

      @error=REFERENCED_USER_IS_NOT_ACTIVE @req=A044-ERR-REFERENCED_USER_IS_NOT_ACTIVE
      Examples: inactive
        | clinician                            | code                          | why                 |
        | <search.referringClinician.inactive> | REFERENCED_USER_IS_NOT_ACTIVE | is no longer active |

      @error=REFERENCED_USER_IS_NOT_RC @req=A044-ERR-REFERENCED_USER_IS_NOT_RC
      Examples: not a referring clinician
        | clinician                         | code                      | why                                        |
        | <search.referringClinician.notRc> | REFERENCED_USER_IS_NOT_RC | does not hold the referring clinician role |

      @error=REFERENCED_USER_IS_NOT_RC_AT_ORG @req=A044-ERR-REFERENCED_USER_IS_NOT_RC_AT_ORG
      Examples: not a referring clinician here
        | clinician                              | code                             | why                                                  |
        | <search.referringClinician.notRcAtOrg> | REFERENCED_USER_IS_NOT_RC_AT_ORG | is a referring clinician only at another organisation |

      @error=REFERENCED_USER_NOT_IN_ORG @req=A044-ERR-REFERENCED_USER_NOT_IN_ORG
      Examples: not in the organisation
        | clinician                            | code                       | why                                          |
        | <search.referringClinician.notInOrg> | REFERENCED_USER_NOT_IN_ORG | does not belong to the caller's organisation |

    @negative
    Scenario Outline: the shortlist's search criteria name <why>
      Given a request for advice from the "adviceAndGuidance" service
      And the shortlist search criteria parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=ORGANISATION_IS_CLOSED @req=A044-ERR-ORGANISATION_IS_CLOSED
      Examples: a closed organisation
        | parameter    | value                  | code                   | why                   |
        | organisation | <organisations.closed> | ORGANISATION_IS_CLOSED | a closed organisation |

      @error=ORGANISATION_NOT_APPROPRIATE @req=A044-ERR-ORGANISATION_NOT_APPROPRIATE
      Examples: an organisation of the wrong kind
        | parameter    | value                          | code                         | why                                       |
        | organisation | <organisations.notAppropriate> | ORGANISATION_NOT_APPROPRIATE | neither a service location nor a provider |

      @error=SNOMED_NOT_FOUND @req=A044-ERR-SNOMED_NOT_FOUND
      Examples: an unknown clinical term
        | parameter    | value                         | code             | why                               |
        | clinicalTerm | <search.clinicalTerm.unknown> | SNOMED_NOT_FOUND | a term not in the e-RS dictionary |

      @error=REFERENCED_USER_IS_NOT_SPC @req=A044-ERR-REFERENCED_USER_IS_NOT_SPC
      Examples: a named clinician who is not a provider clinician
        | parameter      | value                          | code                       | why                                               |
        | namedClinician | <search.namedClinician.notSpc> | REFERENCED_USER_IS_NOT_SPC | a named clinician who is not a provider clinician |

  Rule: the request must be well-formed FHIR for the operation

    @negative @error=MISSING_VALUE @req=A044-ERR-MISSING_VALUE
    Scenario Outline: the mandatory parameter <parameter> is missing
      Given a request for advice from the "adviceAndGuidance" service
      And the advice request parameters are changed:
        | parameter   | value    |
        | <parameter> | (absent) |
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

      Examples:
        | parameter                       |
        | patient                         |
        | providerConversionAuthorisation |
        | request                         |

    @negative @error=INVALID_CODE @req=A044-ERR-INVALID_CODE
    Scenario: a conversion authorisation outside eRS-ProviderConversionAuthorisation-1
      Given a request for advice from the "adviceAndGuidance" service
      And the advice request parameters are changed:
        | parameter                       | value      |
        | providerConversionAuthorisation | NOT_A_CODE |
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_CODE

    @negative @error=UNEXPECTED_FIELD @req=A044-ERR-UNEXPECTED_FIELD
    Scenario: a parameter the operation does not define
      Given a request for advice from the "adviceAndGuidance" service
      And the advice request parameters are changed:
        | parameter | value  |
        | urgency   | urgent |
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

    @negative @error=INVALID_FHIR_STRUCTURE @req=A044-ERR-INVALID_FHIR_STRUCTURE
    Scenario: a parameter value sent as a JSON array instead of an object
      Given a request for advice from the "adviceAndGuidance" service
      And the advice request parameter "patient" holds a list instead of a single value
      When the caller asks for advice
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

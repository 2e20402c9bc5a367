@A027 @stu3 @user-restricted
Feature: A027 Convert advice and guidance request to referral
  The provider turns an A&G request it may convert (AUTHORISED_TO_CONVERT, awaiting its response) into a referral
  with the same UBRN ($ers.createFromCommunicationRequestActionLater): 201 ReferralRequest in TRIAGED_PROVIDER_TO_ACTION
  (reason PROVIDER_CONVERTED_ADVICE_AND_GUIDANCE_ADMIN_TO_REFER); the request becomes CONVERTED. The version
  travels in createFrom, not If-Match (catalogue section 2, A027; 7; 8.1; 8.3). Requirements: A027-OP and each
  documented A027 error response.

  Background:
    Given the caller is a SERVICE_PROVIDER_CLINICIAN

  # Not @sandbox: the sandbox's answer (convertAdviceAndGuidanceToReferral/responses/NoAttachments.json) carries
  # meta.versionId on its contained Appointment, which FHIR forbids (dom-4; test/fhir/examples.test.ts,
  # docs/targets.md), so it fails its profile there. The scenario sends the example exactly as documented.
  @req=A027-OP
  Scenario: the documented conversion
    Given a referrer has asked the "adviceAndGuidance" service for advice
    When the caller sends the prepared "noAttachments" A027 conversion of the request
    Then the response is a referral converted from an advice and guidance request, in state TRIAGED_PROVIDER_TO_ACTION

  @stateful @req=A027-OP
  Scenario Outline: <role> converts a request with review and guidance files
    Given the caller is a <role>
    And a referrer has asked the "adviceAndGuidance" service for advice
    And the caller has uploaded "review.txt" as "text/plain" for the advice and guidance request
    And a conversion of the request to a referral
    And the conversion request attaches the uploaded file as PROVIDER
    When the caller converts the request to a referral
    Then the response is a referral converted from an advice and guidance request, in state TRIAGED_PROVIDER_TO_ACTION
    And the referral keeps the request's UBRN
    And the advice and guidance request under test is now CONVERTED

    Examples:
      | role                             |
      | SERVICE_PROVIDER_CLINICIAN       |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN |

  Rule: createFrom names the current version

    @negative @stateful @error=VERSION_CONFLICT @req=A027-ERR-VERSION_CONFLICT
    Scenario: createFrom names an older version
      Given a referrer has asked the "adviceAndGuidance" service for advice
      And the write names a stale version of what it changes
      When the caller converts the request to a referral
      Then the response status is 409
      And the response is an OperationOutcome with e-RS error code VERSION_CONFLICT

    @negative @stateful @error=VALUE_IS_REQUIRED @req=A027-ERR-VALUE_IS_REQUIRED
    Scenario: createFrom names no version
      Given a referrer has asked the "adviceAndGuidance" service for advice
      And the write names no version of what it changes
      When the caller converts the request to a referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code VALUE_IS_REQUIRED

    @negative @stateful @error=REFERRAL_LOCKED @req=A027-ERR-REFERRAL_LOCKED
    Scenario: a conversion while a response holds the request
      Given a referrer has asked the "slowAdvice" service for advice
      When a guidance response is still being recorded as the caller converts the request
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the response that held the referral succeeded

  Rule: only a request the referrer let the provider convert, still awaiting it, can be converted

    @negative
    Scenario Outline: converting the <request> request
      Given the advice and guidance request under test is the "<request>" request
      When the caller converts the request to a referral
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_REQUEST_STATE @req=A027-ERR-INVALID_REQUEST_STATE
      Examples: not authorised, or already answered
        | request                | status | code                  |
        | notAuthorisedToConvert | 422    | INVALID_REQUEST_STATE |
        | responded              | 422    | INVALID_REQUEST_STATE |

      @error=PATIENT_ERROR @req=A027-ERR-PATIENT_ERROR
      Examples: patient record
        | request          | status | code          |
        | sensitivePatient | 422    | PATIENT_ERROR |

      @error=NO_RELATIONSHIP @req=A027-ERR-NO_RELATIONSHIP
      Examples: another trust's service
        | request        | status | code            |
        | noRelationship | 422    | NO_RELATIONSHIP |

      @req=A027-ERR-HTTP404
      Examples: unknown
        | request | status | code                |
        | unknown | 404    | REFERENCE_NOT_FOUND |

  Rule: the conversion's guidance, priority, comments and files are checked

    @negative
    Scenario Outline: a conversion where <why>
      Given the advice and guidance request under test is the "awaitingResponse" request
      And a conversion of the request to a referral
      And the conversion request parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller converts the request to a referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=UNSUPPORTED_PRIORITY @req=A027-ERR-UNSUPPORTED_PRIORITY
      Examples: a priority the service does not take
        | parameter           | value         | code                 | why                                         |
        | newReferralPriority | TWO_WEEK_WAIT | UNSUPPORTED_PRIORITY | the service takes no two-week-wait referrals |

      @error=MISSING_VALUE @req=A027-ERR-MISSING_VALUE
      Examples: no review comments
        | parameter      | value    | code          | why                          |
        | reviewComments | (absent) | MISSING_VALUE | the review comments are missing |

    @negative @error=INVALID_VALUE @req=A027-ERR-INVALID_VALUE
    Scenario: guidance longer than 8000 characters
      Given the advice and guidance request under test is the "awaitingResponse" request
      And a conversion of the request to a referral
      And the conversion request guidance is 8001 characters long
      When the caller converts the request to a referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

    @negative @error=REFERENCE_NOT_FOUND @req=A027-ERR-REFERENCE_NOT_FOUND
    Scenario: a guidance file the document store does not hold
      Given the advice and guidance request under test is the "awaitingResponse" request
      And a conversion of the request to a referral
      And the conversion request attaches the file "<documents.unknown>" as GUIDANCE_RESPONSE
      When the caller converts the request to a referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code REFERENCE_NOT_FOUND

    @negative @stateful
    Scenario Outline: a file that <why>
      Given a referrer has asked the "adviceAndGuidance" service for advice
      And the caller has uploaded "review.txt" as "text/plain" for the advice and guidance request
      And a conversion of the request to a referral
      And <attach>
      When the caller converts the request to a referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INAPPROPRIATE_VALUE @req=A027-ERR-INAPPROPRIATE_VALUE
      Examples: the wrong attachment type
        | attach                                                             | code                | why                          |
        | the conversion request attaches the uploaded file as ADVICE_REQUEST | INAPPROPRIATE_VALUE | is typed as the referrer's request |

      @error=CONFLICTING_VALUES @req=A027-ERR-CONFLICTING_VALUES
      Examples: a content type the upload did not have
        | attach                                                                                         | code               | why                                    |
        | the conversion request attaches the uploaded file as PROVIDER, claiming it is "image/png"      | CONFLICTING_VALUES | claims a content type it was not uploaded with |

      @error=DUPLICATE_FILENAME @req=A027-ERR-DUPLICATE_FILENAME
      Examples: the same file twice
        | attach                                                                  | code               | why               |
        | the conversion request attaches the uploaded file as GUIDANCE_RESPONSE twice | DUPLICATE_FILENAME | is attached twice |

    @negative @stateful @error=INVALID_STATE @req=A027-ERR-INVALID_STATE
    Scenario: a file already linked as guidance of the same request's earlier message
      Given a referrer has asked the "adviceAndGuidance" service for advice
      And the caller has uploaded "plan.txt" as "text/plain" for the advice and guidance request
      And a guidance response REQUIRE_FURTHER_INFORMATION
      And the guidance response attaches the uploaded file as GUIDANCE_RESPONSE
      And the caller sends the guidance response
      And a referrer has asked the "adviceAndGuidance" service for advice
      And a conversion of the request to a referral
      And the conversion request attaches the uploaded file as GUIDANCE_RESPONSE
      When the caller converts the request to a referral
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_STATE

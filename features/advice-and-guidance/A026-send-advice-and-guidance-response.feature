@A026 @stu3 @user-restricted
Feature: A026 Send advice and guidance response
  The provider answers an A&G request awaiting its response ($ers.sendCommunicationToRequester, If-Match = the
  request's version): REQUIRE_FURTHER_INFORMATION hands it back as REFERRER_TO_SUBMIT_FURTHER_INFORMATION,
  RETURN_TO_REFERRER_WITH_ADVICE (with an intended recommendation) as REFERRER_TO_REVIEW_RESPONSE; the version moves
  on and the guidance becomes a RESPONDER message (catalogue section 2, A026; 7; 8.3). Provider clinicians only.
  Requirements: A026-OP and each documented A026 error response.

  Background:
    Given the caller is a SERVICE_PROVIDER_CLINICIAN

  @sandbox @req=A026-OP
  Scenario Outline: the documented <response> response
    Given a referrer has asked the "adviceAndGuidance" service for advice
    When the caller sends the prepared "<response>" A026 response to the request
    Then the response is a Parameters resource holding the updatedCommunicationRequest CommunicationRequest
    And the response is a Parameters resource holding the createdCommunication Communication

    Examples:
      | response                   |
      | returnToReferrerWithAdvice |
      | requireFurtherInformation  |

  @stateful @req=A026-OP
  Scenario Outline: <role> responds <outcome>
    Given the caller is a <role>
    And a referrer has asked the "adviceAndGuidance" service for advice
    When the caller responds <outcome>
    Then the response is a Parameters resource holding the updatedCommunicationRequest CommunicationRequest
    And the advice and guidance request under test is now <category>
    And the advice and guidance request under test is now at version 2

    Examples:
      | role                             | outcome                        | category                               |
      | SERVICE_PROVIDER_CLINICIAN       | RETURN_TO_REFERRER_WITH_ADVICE | REFERRER_TO_REVIEW_RESPONSE            |
      | SERVICE_PROVIDER_CLINICIAN_ADMIN | REQUIRE_FURTHER_INFORMATION    | REFERRER_TO_SUBMIT_FURTHER_INFORMATION |

  @stateful @req=A026-OP
  Scenario: guidance with a file uploaded for the request
    Given a referrer has asked the "adviceAndGuidance" service for advice
    And the caller has uploaded "plan.txt" as "text/plain" for the advice and guidance request
    And a guidance response RETURN_TO_REFERRER_WITH_ADVICE
    And the guidance response attaches the uploaded file as GUIDANCE_RESPONSE
    When the caller sends the guidance response
    Then the response is a Parameters resource holding the createdCommunication Communication

  Rule: the write carries the current version and waits for other writes

    @negative @stateful @error=VERSION_CONFLICT @req=A026-ERR-VERSION_CONFLICT
    Scenario: If-Match names an older version
      Given a referrer has asked the "adviceAndGuidance" service for advice
      And the write names a stale version of what it changes
      When the caller responds REQUIRE_FURTHER_INFORMATION
      Then the response status is 409
      And the response is an OperationOutcome with e-RS error code VERSION_CONFLICT

    @negative @stateful
    Scenario: two responses at once from the same version: exactly one wins
      Given a referrer has asked the "adviceAndGuidance" service for advice
      When two guidance responses are sent at once from the same version
      Then exactly one of the two changes succeeded and the other got 409 or 423

    @negative @stateful @error=REFERRAL_LOCKED @req=A026-ERR-REFERRAL_LOCKED
    Scenario: a response while a conversion holds the request
      Given a referrer has asked the "slowAdvice" service for advice
      When a conversion is still being recorded as the caller responds
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the conversion that held the request succeeded

  Rule: only a request awaiting the provider, that the caller may see, can be answered

    @negative
    Scenario Outline: a response to the <request> request
      Given the advice and guidance request under test is the "<request>" request
      When the caller responds RETURN_TO_REFERRER_WITH_ADVICE
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_REQUEST_STATE @req=A026-ERR-INVALID_REQUEST_STATE
      Examples: already answered
        | request   | status | code                  |
        | responded | 422    | INVALID_REQUEST_STATE |

      @error=PATIENT_ERROR @req=A026-ERR-PATIENT_ERROR
      Examples: patient record
        | request          | status | code          |
        | sensitivePatient | 422    | PATIENT_ERROR |

      @error=NO_RELATIONSHIP @req=A026-ERR-NO_RELATIONSHIP
      Examples: another trust's service
        | request        | status | code            |
        | noRelationship | 422    | NO_RELATIONSHIP |

      @req=A026-ERR-HTTP404
      Examples: unknown
        | request | status | code                |
        | unknown | 404    | REFERENCE_NOT_FOUND |

  Rule: the response's outcome, guidance, priority and files are checked

    @negative
    Scenario Outline: a response where <why>
      Given the advice and guidance request under test is the "awaitingResponse" request
      And a guidance response <outcome>
      And the guidance response parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller sends the guidance response
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=VALUE_IS_REQUIRED @req=A026-ERR-VALUE_IS_REQUIRED
      Examples: advice without a recommendation
        | outcome                        | parameter                      | value    | code              | why                                  |
        | RETURN_TO_REFERRER_WITH_ADVICE | guidanceIntendedRecommendation | (absent) | VALUE_IS_REQUIRED | advice is returned with no recommendation |

      @error=INAPPROPRIATE_VALUE @req=A026-ERR-INAPPROPRIATE_VALUE
      Examples: a recommendation with a request for information
        | outcome                     | parameter                      | value        | code                | why                                              |
        | REQUIRE_FURTHER_INFORMATION | guidanceIntendedRecommendation | OTHER        | INAPPROPRIATE_VALUE | a recommendation comes with a request for information |

      @error=UNSUPPORTED_PRIORITY @req=A026-ERR-UNSUPPORTED_PRIORITY
      Examples: a priority the service does not take
        | outcome                     | parameter       | value         | code                 | why                                  |
        | REQUIRE_FURTHER_INFORMATION | updatedPriority | TWO_WEEK_WAIT | UNSUPPORTED_PRIORITY | the service takes no two-week-wait requests |

      @error=MISSING_VALUE @req=A026-ERR-MISSING_VALUE
      Examples: no guidance
        | outcome                     | parameter | value    | code          | why                |
        | REQUIRE_FURTHER_INFORMATION | guidance  | (absent) | MISSING_VALUE | the guidance is missing |

    @negative @error=INVALID_VALUE @req=A026-ERR-INVALID_VALUE
    Scenario: guidance longer than 8000 characters
      Given the advice and guidance request under test is the "awaitingResponse" request
      And a guidance response REQUIRE_FURTHER_INFORMATION
      And the guidance response guidance is 8001 characters long
      When the caller sends the guidance response
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

    @negative @error=REFERENCE_NOT_FOUND @req=A026-ERR-REFERENCE_NOT_FOUND
    Scenario: a guidance file the document store does not hold
      Given the advice and guidance request under test is the "awaitingResponse" request
      And a guidance response REQUIRE_FURTHER_INFORMATION
      And the guidance response attaches the file "<documents.unknown>" as GUIDANCE_RESPONSE
      When the caller sends the guidance response
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code REFERENCE_NOT_FOUND

    @negative @stateful
    Scenario Outline: a guidance file that <why>
      Given a referrer has asked the "adviceAndGuidance" service for advice
      And the caller has uploaded "plan.txt" as "text/plain" for the advice and guidance request
      And a guidance response REQUIRE_FURTHER_INFORMATION
      And <attach>
      When the caller sends the guidance response
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INAPPROPRIATE_VALUE @req=A026-ERR-INAPPROPRIATE_VALUE
      Examples: the wrong attachment type
        | attach                                                            | code                | why                          |
        | the guidance response attaches the uploaded file as ADVICE_REQUEST | INAPPROPRIATE_VALUE | is typed as the referrer's request |

      @error=CONFLICTING_VALUES @req=A026-ERR-CONFLICTING_VALUES
      Examples: a content type the upload did not have
        | attach                                                                                      | code               | why                                    |
        | the guidance response attaches the uploaded file as GUIDANCE_RESPONSE, claiming it is "image/png" | CONFLICTING_VALUES | claims a content type it was not uploaded with |

      @error=DUPLICATE_FILENAME @req=A026-ERR-DUPLICATE_FILENAME
      Examples: the same file twice
        | attach                                                                                     | code               | why                   |
        | the guidance response attaches the uploaded file as GUIDANCE_RESPONSE twice                 | DUPLICATE_FILENAME | is attached twice     |

    @negative @stateful @error=INVALID_STATE @req=A026-ERR-INVALID_STATE
    Scenario: a guidance file already linked to another request
      Given a referrer has asked the "adviceAndGuidance" service for advice
      And the caller has uploaded "plan.txt" as "text/plain" for the advice and guidance request
      And a guidance response REQUIRE_FURTHER_INFORMATION
      And the guidance response attaches the uploaded file as GUIDANCE_RESPONSE
      And the caller sends the guidance response
      And a referrer has asked the "adviceAndGuidance" service for advice
      And a guidance response REQUIRE_FURTHER_INFORMATION
      And the guidance response attaches the uploaded file as GUIDANCE_RESPONSE
      When the caller sends the guidance response
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_STATE

@A008 @stu3
Feature: A008 Retrieve referral worklist
  Referrers and providers fetch their worklists ($ers.fetchworklist, eRS-FetchWorklist-List-1).
  Referring organisations may ask only for REJECTED_TRIAGE_RESPONSE, ASSESSMENT_RETURNED_CANCELLED_DNA,
  AWAITING_BOOKING and LETTERS_OUTSTANDING, without filters; providers ask for REFERRALS_FOR_REVIEW
  and APPOINTMENT_SLOT_ISSUES and may filter; a provider application must filter by service
  (catalogue section 2, A008; worklists in section 8.5). Requirements: A008-OP and each documented
  A008 error response.

  Rule: the documented example worklist requests are answered (runnable against the NHS sandbox)

    @user-restricted @sandbox @req=A008-OP
    Scenario Outline: <role> fetches the worklist of the documented <request> request
      Given the caller is a <role>
      When the caller sends the prepared "<request>" A008 request
      Then the response status is 200
      And the response is FHIR JSON
      And the response is a List resource
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-List-1"
      And the response echoes the request's X-Correlation-ID

      Examples:
        | role                       | request            |
        | SERVICE_PROVIDER_CLINICIAN | referralsForReview |
        | REFERRING_CLINICIAN        | awaitingBooking    |

  Rule: each role gets the lists it works from

    @user-restricted @req=A008-OP
    Scenario Outline: <role> fetches the <list> worklist
      Given the caller is a <role>
      When the caller fetches the <list> worklist
      Then the response status is 200
      And the response is FHIR JSON
      And the response is a List resource
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-List-1"
      And the response echoes the request's X-Correlation-ID

      Examples: referrer lists
        | role                      | list                              |
        | REFERRING_CLINICIAN       | AWAITING_BOOKING                  |
        | REFERRING_CLINICIAN       | LETTERS_OUTSTANDING               |
        | REFERRING_CLINICIAN       | REJECTED_TRIAGE_RESPONSE          |
        | REFERRING_CLINICIAN       | ASSESSMENT_RETURNED_CANCELLED_DNA |
        | REFERRING_CLINICIAN_ADMIN | AWAITING_BOOKING                  |
        | REFERRING_ADMIN           | AWAITING_BOOKING                  |

      Examples: provider lists
        | role                             | list                    |
        | SERVICE_PROVIDER_CLINICIAN       | REFERRALS_FOR_REVIEW    |
        | SERVICE_PROVIDER_CLINICIAN       | APPOINTMENT_SLOT_ISSUES |
        | SERVICE_PROVIDER_ADMIN           | REFERRALS_FOR_REVIEW    |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | REFERRALS_FOR_REVIEW    |
        | SERVICE_PROVIDER_ADMIN           | APPOINTMENT_SLOT_ISSUES |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | APPOINTMENT_SLOT_ISSUES |

    @user-restricted @req=A008-OP
    Scenario: the referrer's awaiting-booking list holds its unbooked referral
      Given the caller is a REFERRING_CLINICIAN
      When the caller fetches the AWAITING_BOOKING worklist
      Then the response status is 200
      And the worklist includes the "unbooked" referral
      And the worklist does not include the "bookedDbs" referral

    @user-restricted @req=A008-OP
    Scenario: the provider reviews booked and triage referrals at its services
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller fetches the REFERRALS_FOR_REVIEW worklist
      Then the response status is 200
      And the worklist includes the "bookedDbs" referral
      And the worklist includes the "awaitingTriage" referral
      And the worklist does not include the "noProviderRelationship" referral

    @user-restricted @req=A008-OP
    Scenario: a deferred referral is an appointment slot issue for the provider
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller fetches the APPOINTMENT_SLOT_ISSUES worklist
      Then the response status is 200
      And the worklist includes the "deferred" referral

    @user-restricted @req=A008-OP
    Scenario Outline: a provider filters its review list by <filter>
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And a worklist request for the REFERRALS_FOR_REVIEW list
      And the worklist request is filtered by <filter>
      When the caller fetches the worklist
      Then the response status is 200
      And the response is a List resource

      Examples:
        | filter    |
        | service   |
        | specialty |
        | clinician |
        | location  |

    @app-restricted @req=A008-OP
    Scenario: the provider application fetches the review list for one of its services
      Given the caller is the provider application
      And a worklist request for the REFERRALS_FOR_REVIEW list
      And the worklist request parameters are changed:
        | parameter | value              |
        | service   | <worklist.service> |
      When the caller fetches the worklist
      Then the response status is 200
      And the response is a List resource

    @app-restricted @req=A008-OP
    Scenario: the provider application fetches the slot issues of one of its services
      Given the caller is the provider application
      And a worklist request for the APPOINTMENT_SLOT_ISSUES list
      And the worklist request parameters are changed:
        | parameter | value              |
        | service   | <worklist.service> |
      When the caller fetches the worklist
      Then the response status is 200
      And the worklist includes the "deferred" referral

  Rule: the provider's worklists follow the review (catalogue 8.1, 8.5)

    @user-restricted @stateful @req=A008-OP
    Scenario: a booking waits on REFERRALS_FOR_REVIEW at its current version until it is accepted
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service, with no referral letter to come
      And the referral under test is booked at the "directlyBookable" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller fetches the REFERRALS_FOR_REVIEW worklist
      Then the worklist includes the referral under test
      And the worklist item of the referral under test carries its current version
      When the caller accepts the referral
      And the caller fetches the REFERRALS_FOR_REVIEW worklist
      Then the worklist does not include the referral under test

    @user-restricted @stateful @req=A008-OP
    Scenario: a deferral is an APPOINTMENT_SLOT_ISSUES item until its review outcome is recorded
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "noSlots" service, with no referral letter to come
      And the caller defers the referral to the "noSlots" service with reason NO_SLOTS_AT_SERVICE
      And the caller is a SERVICE_PROVIDER_CLINICIAN_ADMIN
      When the caller fetches the APPOINTMENT_SLOT_ISSUES worklist
      Then the worklist includes the referral under test
      When the caller records the triage outcome ACCEPT_REFER_BOOK_LATER with comment "Our admin team will call the patient"
      And the caller fetches the APPOINTMENT_SLOT_ISSUES worklist
      Then the worklist does not include the referral under test

    @user-restricted @stateful @req=A008-OP
    Scenario: a triage referral leaves REFERRALS_FOR_REVIEW for the referrer's REJECTED_TRIAGE_RESPONSE when returned with advice
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "triage" service, with no referral letter to come
      And the caller sends the referral for triage at the "triage" service
      And the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller fetches the REFERRALS_FOR_REVIEW worklist
      Then the worklist includes the referral under test
      When the caller records the triage outcome RETURN_TO_REFERRER_WITH_ADVICE with comment "Try the community service first"
      And the caller fetches the REFERRALS_FOR_REVIEW worklist
      Then the worklist does not include the referral under test
      Given the caller is a REFERRING_CLINICIAN
      When the caller fetches the REJECTED_TRIAGE_RESPONSE worklist
      Then the worklist includes the referral under test

  Rule: each documented 422 has its trigger

    @user-restricted @negative @error=MISSING_VALUE @req=A008-ERR-MISSING_VALUE
    Scenario Outline: <why>
      Given the caller is a <role>
      And a worklist request for the REFERRALS_FOR_REVIEW list
      And the worklist request parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller fetches the worklist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

      Examples:
        | role                       | parameter                  | value    | why                                                   |
        | SERVICE_PROVIDER_CLINICIAN | specialtyAssignedIndicator | ASSIGNED | specialty assigned indicator without the specialty   |
        | SERVICE_PROVIDER_CLINICIAN | clinicianAssignedIndicator | ASSIGNED | clinician assigned indicator without the clinician   |
        | SERVICE_PROVIDER_CLINICIAN | listType                   | (absent) | the list type is mandatory                            |

    @app-restricted @negative @error=MISSING_VALUE @req=A008-ERR-MISSING_VALUE
    Scenario: a provider application must filter by service
      Given the caller is the provider application
      When the caller fetches the REFERRALS_FOR_REVIEW worklist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

    @user-restricted @negative @error=UNEXPECTED_FIELD @req=A008-ERR-UNEXPECTED_FIELD
    Scenario Outline: <why>
      Given the caller is a <role>
      And a worklist request for the <list> list
      And the worklist request parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller fetches the worklist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

      Examples:
        | role                       | list                 | parameter        | value                | why                                          |
        | SERVICE_PROVIDER_CLINICIAN | REFERRALS_FOR_REVIEW | specialty        | <worklist.specialty> | a specialty without its assigned indicator   |
        | SERVICE_PROVIDER_CLINICIAN | REFERRALS_FOR_REVIEW | clinician        | <worklist.clinician> | a clinician without its assigned indicator   |
        | SERVICE_PROVIDER_CLINICIAN | REFERRALS_FOR_REVIEW | notAWorklistFilter | anything           | a parameter e-RS does not define             |
        | REFERRING_CLINICIAN        | AWAITING_BOOKING     | service          | <worklist.service>   | referrers may not filter their worklists     |

    @user-restricted @negative @error=INVALID_VALUE @req=A008-ERR-INVALID_VALUE
    Scenario Outline: <why>
      Given the caller is a <role>
      And a worklist request for the <list> list
      And the worklist request parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller fetches the worklist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

      Examples:
        | role                       | list                 | parameter                  | value        | why                                                |
        | SERVICE_PROVIDER_CLINICIAN | REFERRALS_FOR_REVIEW | specialtyAssignedIndicator | NOT_ASSIGNED | NOT_ASSIGNED specialty filtering is not supported   |
        | REFERRING_CLINICIAN        | REFERRALS_FOR_REVIEW | listType                   | REFERRALS_FOR_REVIEW | a provider list asked for by a referrer      |

    @user-restricted @negative @error=INVALID_CODE @req=A008-ERR-INVALID_CODE
    Scenario: a list type that is not in eRS-ReferralListSelector-1
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller fetches the NOT_A_WORKLIST worklist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_CODE

    @user-restricted @negative @error=INVALID_FHIR_STRUCTURE @req=A008-ERR-INVALID_FHIR_STRUCTURE
    Scenario: a parameter value sent as a JSON array instead of an object
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And a worklist request for the REFERRALS_FOR_REVIEW list
      And the worklist request parameter "listType" holds a list instead of a single value
      When the caller fetches the worklist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

    @user-restricted @negative @error=REFERENCE_NOT_FOUND @req=A008-ERR-REFERENCE_NOT_FOUND
    Scenario: a service filter that e-RS does not know
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And a worklist request for the REFERRALS_FOR_REVIEW list
      And the worklist request parameters are changed:
        | parameter | value                     |
        | service   | <worklist.unknownService> |
      When the caller fetches the worklist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code REFERENCE_NOT_FOUND

    @user-restricted @negative @error=NO_RELATIONSHIP @req=A008-ERR-NO_RELATIONSHIP
    Scenario: a service filter for a service outside the caller's workgroups
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And a worklist request for the REFERRALS_FOR_REVIEW list
      And the worklist request parameters are changed:
        | parameter | value                           |
        | service   | <worklist.otherProviderService> |
      When the caller fetches the worklist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code NO_RELATIONSHIP

  Rule: roles, headers and media types are checked first

    @user-restricted @negative @error=FORBIDDEN @req=A008-ERR-403-FORBIDDEN
    Scenario Outline: <role> has no worklists
      Given the caller is a <role>
      When the caller fetches the AWAITING_BOOKING worklist
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

      Examples:
        | role                            | why                                        |
        | COMMISSIONER                    | not a referrer or provider worklist role   |
        | INFORMATION_ANALYST             | not a referrer or provider worklist role   |
        | ADDITIONAL_REQUIREMENTS_MANAGER | not a referrer or provider worklist role   |

    @user-restricted @negative @authentication @error=NO_ACCESS @req=A008-ERR-403-NO_ACCESS
    Scenario: an organisation outside the partner's allowlist is refused
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "NHSD-End-User-Organisation-ODS" header as "<organisations.unknown>"
      When the caller fetches the AWAITING_BOOKING worklist
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code NO_ACCESS

    @user-restricted @negative @error=MISSING_HEADER @req=A008-ERR-MISSING_HEADER
    Scenario: the business function header is mandatory in user-restricted mode
      Given the caller is a REFERRING_CLINICIAN
      And the request omits the "NHSD-eRS-Business-Function" header
      When the caller fetches the AWAITING_BOOKING worklist
      Then the response status is 400
      And the response is an OperationOutcome with e-RS error code MISSING_HEADER

    @user-restricted @negative @authentication @req=A008-ERR-HTTP401
    Scenario: an access token the target never issued is unauthorised
      Given the caller is a REFERRING_CLINICIAN
      And the request is sent with an access token the target never issued
      When the caller fetches the AWAITING_BOOKING worklist
      Then the response status is 401
      And the response body is empty

    @user-restricted @negative @req=A008-ERR-HTTP415
    Scenario: a worklist request that is not FHIR JSON is refused
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "Content-Type" header as "text/plain"
      When the caller fetches the AWAITING_BOOKING worklist
      Then the response status is 415

    @user-restricted @negative @req=A008-ERR-HTTP406
    Scenario: a caller that accepts only XML gets 406 Not Acceptable
      Given the caller is a REFERRING_CLINICIAN
      And the request sends the "Accept" header as "application/fhir+xml"
      When the caller fetches the AWAITING_BOOKING worklist
      Then the response status is 406

  Rule: platform and service faults reach the caller in their documented shape

    @user-restricted @negative @fault-injection
    Scenario Outline: HTTP <status> from e-RS
      Given the caller is a REFERRING_CLINICIAN
      And the target will answer the next A008 request with HTTP <status> and Retry-After 3
      When the caller fetches the AWAITING_BOOKING worklist
      Then the response status is <status>
      And <body>

      @req=A008-ERR-HTTP429
      Examples: rate limited (the proxy strips the STU3 payload)
        | status | body                       |
        | 429    | the response body is empty |

      @req=A008-ERR-HTTP500
      Examples: unexpected failure
        | status | body                                 |
        | 500    | the response carries an X-Request-ID |

      @error=SYSTEM_UNAVAILABLE @req=A008-ERR-SYSTEM_UNAVAILABLE
      Examples: unavailable, retry later
        | status | body                                                                                                 |
        | 503    | the response is an OperationOutcome with issue type transient and e-RS error code SYSTEM_UNAVAILABLE |

@A032 @stu3 @user-restricted
Feature: A032 Change shortlist and send for triage
  Deprecated (use A031 + A016): a referrer replaces the shortlist with exactly one service that supports
  the triage request flow, with the first reminder after 0 days, and sends the referral for triage in
  the same call. The answer is a Parameters resource with the updated referral (AWAITING_TRIAGE) and the
  proposed TRIAGE appointment (catalogue section 2, A032; lifecycle 8.1; versioning 7). Requirements:
  A032-OP and each documented A032 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: the referral is sent for triage at the one new service

    @stateful @req=A032-OP
    Scenario Outline: <role> sends a referral for triage at a new service
      Given the caller is a <role>
      And a new referral shortlisting the "directlyBookable" service
      When the caller changes the shortlist to the "triage" service and sends it for triage
      Then the response is a Parameters resource holding the updatedReferralRequest ReferralRequest
      And the response is a Parameters resource holding the createdAppointment Appointment
      And the referral under test is now in state AWAITING_TRIAGE

      Examples:
        | role                      |
        | REFERRING_CLINICIAN       |
        | REFERRING_CLINICIAN_ADMIN |

  Rule: one triage service, reminder 0, current version

    @negative @stateful
    Scenario Outline: a triage request where <why>
      Given a new referral shortlisting the "directlyBookable" service
      And <setup>
      When the caller changes the shortlist to the "<services>" services and sends it for triage
      Then the response status is <status> with <answer>

      @error=TOO_MANY_ITEMS @req=A032-ERR-TOO_MANY_ITEMS
      Examples: more than one service
        | setup                                                                            | services                 | status | answer                         | why                   |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 0 days | triage, directlyBookable | 422    | e-RS error code TOO_MANY_ITEMS | two services are sent |

      @error=INAPPROPRIATE_VALUE @req=A032-ERR-INAPPROPRIATE_VALUE
      Examples: not for triage
        | setup                                                                            | services         | status | answer                              | why                                    |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 0 days | directlyBookable | 422    | e-RS error code INAPPROPRIATE_VALUE | the service does not take triage       |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 5 days | triage           | 422    | e-RS error code INAPPROPRIATE_VALUE | the first reminder is not after 0 days |

      @error=VERSION_CONFLICT @req=A032-ERR-VERSION_CONFLICT
      Examples: stale
        | setup                                              | services | status | answer                           | why                  |
        | the write names a stale version of what it changes | triage   | 409    | e-RS error code VERSION_CONFLICT | the version is stale |

      @req=X-HDR-IF-MATCH
      Examples: no If-Match
        | setup                                         | services | status | answer                   | why                 |
        | the write names no version of what it changes | triage   | 412    | no documented error code | If-Match is missing |

    @negative @stateful @error=REFERRAL_LOCKED @req=A032-ERR-REFERRAL_LOCKED
    Scenario: a triage request while a booking holds the referral
      Given a new referral shortlisting the "slowPas" service
      When a booking at the "slowPas" service is still with the PAS as the caller changes the shortlist to the triage service and sends it for triage
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the booking that held the referral succeeded

  Rule: the shortlist rules of A031 apply

    @negative @stateful
    Scenario Outline: a triage request whose search criteria name <why>
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "triage" service
      And the shortlist search criteria parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller sends the new shortlist for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=ORGANISATION_IS_CLOSED @req=A032-ERR-ORGANISATION_IS_CLOSED
      Examples: a closed organisation
        | parameter    | value                  | code                   | why                   |
        | organisation | <organisations.closed> | ORGANISATION_IS_CLOSED | a closed organisation |

      @error=ORGANISATION_NOT_APPROPRIATE @req=A032-ERR-ORGANISATION_NOT_APPROPRIATE
      Examples: an organisation of the wrong kind
        | parameter    | value                          | code                         | why                                       |
        | organisation | <organisations.notAppropriate> | ORGANISATION_NOT_APPROPRIATE | neither a service location nor a provider |

      @error=SNOMED_NOT_FOUND @req=A032-ERR-SNOMED_NOT_FOUND
      Examples: an unknown clinical term
        | parameter    | value                         | code             | why                               |
        | clinicalTerm | <search.clinicalTerm.unknown> | SNOMED_NOT_FOUND | a term not in the e-RS dictionary |

      @error=INVALID_VALUE @req=A032-ERR-INVALID_VALUE
      Examples: not a postcode
        | parameter | value          | code          | why                          |
        | postcode  | NOT A POSTCODE | INVALID_VALUE | a postcode of the wrong form |

    @negative @stateful @error=SHORTLISTED_SERVICE_NOT_IN_RESULTS @req=A032-ERR-SHORTLISTED_SERVICE_NOT_IN_RESULTS
    Scenario: a triage service the shortlist's search criteria do not return
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "triage" service
      And the shortlist search criteria parameters are changed:
        | parameter  | value                              |
        | specialty  | <search.gastroCriteria.specialty>  |
        | clinicType | <search.gastroCriteria.clinicType> |
      When the caller sends the new shortlist for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code SHORTLISTED_SERVICE_NOT_IN_RESULTS

    @negative
    Scenario Outline: sending for triage a referral that <why>
      Given the referral under test is the "<referral>" referral
      When the caller changes the shortlist to the "triage" service and sends it for triage
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_REQUEST_STATE @req=A032-ERR-INVALID_REQUEST_STATE
      Examples: state
        | referral  | status | code                  | why       |
        | bookedDbs | 422    | INVALID_REQUEST_STATE | is booked |

      @error=INVALID_REQUEST_TYPE @req=A032-ERR-INVALID_REQUEST_TYPE
      Examples: not a referral
        | referral          | status | code                 | why                               |
        | adviceAndGuidance | 422    | INVALID_REQUEST_TYPE | is an advice and guidance request |

      @error=PATIENT_ERROR @req=A032-ERR-PATIENT_ERROR
      Examples: patient record
        | referral         | status | code          | why                                          |
        | sensitivePatient | 422    | PATIENT_ERROR | is for a patient whose record cannot be used |

      @error=NO_RELATIONSHIP @req=A032-ERR-NO_RELATIONSHIP
      Examples: another practice
        | referral               | status | code            | why                     |
        | noProviderRelationship | 422    | NO_RELATIONSHIP | another practice raised |

      @req=A032-ERR-HTTP404
      Examples: unknown
        | referral | status | code                | why                |
        | unknown  | 404    | REFERENCE_NOT_FOUND | e-RS does not hold |

  Rule: the request must be well-formed FHIR for the operation

    @negative @stateful @error=MISSING_VALUE @req=A032-ERR-MISSING_VALUE
    Scenario Outline: the mandatory parameter <parameter> is missing
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "triage" service
      And the shortlist change parameters are changed:
        | parameter   | value    |
        | <parameter> | (absent) |
      When the caller sends the new shortlist for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

      Examples:
        | parameter                       |
        | shortlist                       |
        | intentionToAddReferralLetter    |
        | firstReminderLetterFollowUpDays |

    @negative @stateful @error=INVALID_CODE @req=A032-ERR-INVALID_CODE
    Scenario: a letter intention outside eRS-ReferralLetterIntention-1
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "triage" service
      And the shortlist change parameters are changed:
        | parameter                    | value      |
        | intentionToAddReferralLetter | NOT_A_CODE |
      When the caller sends the new shortlist for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_CODE

    @negative @stateful @error=UNEXPECTED_FIELD @req=A032-ERR-UNEXPECTED_FIELD
    Scenario: a parameter the operation does not define
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "triage" service
      And the shortlist change parameters are changed:
        | parameter | value  |
        | urgency   | urgent |
      When the caller sends the new shortlist for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

    @negative @stateful @error=INVALID_FHIR_STRUCTURE @req=A032-ERR-INVALID_FHIR_STRUCTURE
    Scenario: the shortlist sent as a JSON array instead of a resource
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "triage" service
      And the shortlist change parameter "shortlist" holds a list instead of a single value
      When the caller sends the new shortlist for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

@A031 @stu3 @user-restricted
Feature: A031 Change shortlist
  A referrer replaces a referral's shortlist ($ers.changeShortlist) with services found by a new
  patient service search with the same criteria: at most 20, no duplicates, letter intention rules as
  for A011. Only an unbooked referral (or one whose appointment was cancelled, or that was returned)
  may change; If-Match carries its current version and the referral is NOT_BOOKED afterwards
  (catalogue section 2, A031; lifecycle 8.1; versioning 7). Requirements: A031-OP and each documented
  A031 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: the new shortlist replaces the old one

    @stateful @req=A031-OP
    Scenario: a referring clinician moves a referral to other services
      Given a new referral shortlisting the "directlyBookable" service
      When the caller changes the shortlist to the "noSlots, gastroTriage" services
      Then the response status is 200
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1"
      And the weak ETag equals the resource's meta.versionId
      And the referral is in state NOT_BOOKED
      And the referral under test is now at version 2

    @stateful @req=A031-OP
    Scenario: a referring clinician admin changes the shortlist
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a new referral shortlisting the "directlyBookable" service
      When the caller changes the shortlist to the "indirectlyBookable" service
      Then the response status is 200

  Rule: concurrent writes: exactly one wins

    @negative @stateful @error=VERSION_CONFLICT @req=A031-ERR-VERSION_CONFLICT
    Scenario: two changes sent at once from the same version
      Given a new referral shortlisting the "directlyBookable" service
      When the caller changes the shortlist twice at once from the same version
      Then exactly one of the two changes succeeded and the other got 409 or 423
      And the referral under test is now at version 2

    @negative @stateful @error=VERSION_CONFLICT @req=A031-ERR-VERSION_CONFLICT
    Scenario: a stale version
      Given a new referral shortlisting the "directlyBookable" service
      And the write names a stale version of what it changes
      When the caller changes the shortlist to the "indirectlyBookable" service
      Then the response status is 409
      And the response is an OperationOutcome with e-RS error code VERSION_CONFLICT

    @negative @stateful @req=X-HDR-IF-MATCH
    Scenario: no If-Match
      Given a new referral shortlisting the "directlyBookable" service
      And the write names no version of what it changes
      When the caller changes the shortlist to the "indirectlyBookable" service
      Then the response status is 412

    @negative @stateful @error=REFERRAL_LOCKED @req=A031-ERR-REFERRAL_LOCKED
    Scenario: a change while a booking holds the referral
      Given a new referral shortlisting the "slowPas" service
      When a booking at the "slowPas" service is still with the PAS as the caller changes the shortlist to the indirectly bookable service
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the booking that held the referral succeeded

  Rule: the shortlist rules of A011 apply

    @negative @stateful
    Scenario Outline: a new shortlist with <why>
      Given a new referral shortlisting the "directlyBookable" service
      And <setup>
      When the caller changes the shortlist to the "<services>" services
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=TOO_MANY_ITEMS @req=A031-ERR-TOO_MANY_ITEMS
      Examples: too many
        | setup                                  | services         | code           | why              |
        | the new shortlist is padded to 21 services | directlyBookable | TOO_MANY_ITEMS | 21 services      |

      @error=DUPLICATE_SERVICE @req=A031-ERR-DUPLICATE_SERVICE
      Examples: duplicate
        | setup                                                           | services                           | code              | why                  |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 7 days | directlyBookable, directlyBookable | DUPLICATE_SERVICE | one service twice    |

      @error=SHORTLISTED_SERVICE_NOT_IN_RESULTS @req=A031-ERR-SHORTLISTED_SERVICE_NOT_IN_RESULTS
      Examples: not found by the criteria
        | setup                                                           | services                       | code                               | why                               |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 7 days | directlyBookable, notInResults | SHORTLISTED_SERVICE_NOT_IN_RESULTS | a service the search did not find |

      @error=INAPPROPRIATE_VALUE @req=A031-ERR-INAPPROPRIATE_VALUE
      Examples: a letter is needed
        | setup                                                                  | services                         | code                | why                                           |
        | the new shortlist intends NOT_INTENDING_TO_ADD with the first reminder after 0 days | directlyBookable, requiresLetter | INAPPROPRIATE_VALUE | no letter intended for a service that needs one |

      @error=INVALID_CODE @req=A031-ERR-INVALID_CODE
      Examples: not a letter intention
        | setup                                                    | services         | code         | why                         |
        | the new shortlist intends MAYBE with the first reminder after 0 days | directlyBookable | INVALID_CODE | an unknown letter intention |

      @error=INVALID_VALUE @req=A031-ERR-INVALID_VALUE
      Examples: reminder too far away
        | setup                                                               | services         | code          | why                           |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 400 days | directlyBookable | INVALID_VALUE | a first reminder beyond 365 days |

    @negative @stateful
    Scenario Outline: a new shortlist whose search criteria name <why>
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "indirectlyBookable" service
      And the shortlist search criteria parameters are changed:
        | parameter   | value   |
        | <parameter> | <value> |
      When the caller sends the new shortlist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=ORGANISATION_IS_CLOSED @req=A031-ERR-ORGANISATION_IS_CLOSED
      Examples: a closed organisation
        | parameter    | value                  | code                   | why                   |
        | organisation | <organisations.closed> | ORGANISATION_IS_CLOSED | a closed organisation |

      @error=ORGANISATION_NOT_APPROPRIATE @req=A031-ERR-ORGANISATION_NOT_APPROPRIATE
      Examples: an organisation of the wrong kind
        | parameter    | value                          | code                         | why                                       |
        | organisation | <organisations.notAppropriate> | ORGANISATION_NOT_APPROPRIATE | neither a service location nor a provider |

      @error=SNOMED_NOT_FOUND @req=A031-ERR-SNOMED_NOT_FOUND
      Examples: an unknown clinical term
        | parameter    | value                         | code             | why                               |
        | clinicalTerm | <search.clinicalTerm.unknown> | SNOMED_NOT_FOUND | a term not in the e-RS dictionary |

    @negative
    Scenario Outline: changing the shortlist of a referral that <why>
      Given the referral under test is the "<referral>" referral
      When the caller changes the shortlist to the "directlyBookable" service
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_REQUEST_STATE @req=A031-ERR-INVALID_REQUEST_STATE
      Examples: state
        | referral  | status | code                  | why               |
        | bookedDbs | 422    | INVALID_REQUEST_STATE | is booked         |
        | deferred  | 422    | INVALID_REQUEST_STATE | is deferred       |
        | cancelled | 422    | INVALID_REQUEST_STATE | has been cancelled |

      @error=INVALID_REQUEST_TYPE @req=A031-ERR-INVALID_REQUEST_TYPE
      Examples: not a referral
        | referral          | status | code                 | why                               |
        | adviceAndGuidance | 422    | INVALID_REQUEST_TYPE | is an advice and guidance request |

      @error=PATIENT_ERROR @req=A031-ERR-PATIENT_ERROR
      Examples: patient record
        | referral         | status | code          | why                                     |
        | sensitivePatient | 422    | PATIENT_ERROR | is for a patient whose record cannot be used |

      @error=NO_RELATIONSHIP @req=A031-ERR-NO_RELATIONSHIP
      Examples: another practice
        | referral               | status | code            | why                     |
        | noProviderRelationship | 422    | NO_RELATIONSHIP | another practice raised |

      @req=A031-ERR-HTTP404
      Examples: unknown
        | referral | status | code                | why                |
        | unknown  | 404    | REFERENCE_NOT_FOUND | e-RS does not hold |

  Rule: the request must be well-formed FHIR for the operation

    @negative @stateful @error=MISSING_VALUE @req=A031-ERR-MISSING_VALUE
    Scenario Outline: the mandatory parameter <parameter> is missing
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "indirectlyBookable" service
      And the shortlist change parameters are changed:
        | parameter   | value    |
        | <parameter> | (absent) |
      When the caller sends the new shortlist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

      Examples:
        | parameter                       |
        | shortlist                       |
        | intentionToAddReferralLetter    |
        | firstReminderLetterFollowUpDays |

    @negative @stateful @error=UNEXPECTED_FIELD @req=A031-ERR-UNEXPECTED_FIELD
    Scenario: a parameter the operation does not define
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "indirectlyBookable" service
      And the shortlist change parameters are changed:
        | parameter | value  |
        | urgency   | urgent |
      When the caller sends the new shortlist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

    @negative @stateful @error=INVALID_FHIR_STRUCTURE @req=A031-ERR-INVALID_FHIR_STRUCTURE
    Scenario: the shortlist sent as a JSON array instead of a resource
      Given a new referral shortlisting the "directlyBookable" service
      And a new shortlist of the "indirectlyBookable" service
      And the shortlist change parameter "shortlist" holds a list instead of a single value
      When the caller sends the new shortlist
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

  Rule: only referrers change shortlists

    @negative @error=FORBIDDEN @req=A031-ERR-403-FORBIDDEN
    Scenario: a provider clinician may not change a shortlist
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "bookedDbs" referral
      When the caller changes the shortlist to the "directlyBookable" service
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

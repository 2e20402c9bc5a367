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
    Scenario Outline: a <role> sends a referral for triage at a new service
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
      Then the response status is <status>

      @error=TOO_MANY_ITEMS @req=A032-ERR-TOO_MANY_ITEMS
      Examples: more than one service
        | setup                                                                         | services                 | status | why                       |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 0 days | triage, directlyBookable | 422    | two services are sent     |

      @error=INAPPROPRIATE_VALUE @req=A032-ERR-INAPPROPRIATE_VALUE
      Examples: not for triage
        | setup                                                                         | services         | status | why                                   |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 0 days | directlyBookable | 422    | the service does not take triage      |
        | the new shortlist intends NEED_TO_ADD_LATER with the first reminder after 5 days | triage           | 422    | the first reminder is not after 0 days |

      @error=VERSION_CONFLICT @req=A032-ERR-VERSION_CONFLICT
      Examples: stale
        | setup                                              | services | status | why                   |
        | the write names a stale version of what it changes | triage   | 409    | the version is stale  |

      @req=X-HDR-IF-MATCH
      Examples: no If-Match
        | setup                                         | services | status | why               |
        | the write names no version of what it changes | triage   | 412    | If-Match is missing |

    @negative
    Scenario Outline: sending for triage a referral that <why>
      Given the referral under test is the "<referral>" referral
      When the caller changes the shortlist to the "triage" service and sends it for triage
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_REQUEST_STATE @req=A032-ERR-INVALID_REQUEST_STATE
      Examples: state
        | referral  | code                  | why       |
        | bookedDbs | INVALID_REQUEST_STATE | is booked |

      @error=INVALID_REQUEST_TYPE @req=A032-ERR-INVALID_REQUEST_TYPE
      Examples: not a referral
        | referral          | code                 | why                               |
        | adviceAndGuidance | INVALID_REQUEST_TYPE | is an advice and guidance request |

      @error=PATIENT_ERROR @req=A032-ERR-PATIENT_ERROR
      Examples: patient record
        | referral         | code          | why                                          |
        | sensitivePatient | PATIENT_ERROR | is for a patient whose record cannot be used |

      @error=NO_RELATIONSHIP @req=A032-ERR-NO_RELATIONSHIP
      Examples: another practice
        | referral               | code            | why                     |
        | noProviderRelationship | NO_RELATIONSHIP | another practice raised |

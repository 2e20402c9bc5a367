@A016 @stu3 @user-restricted
Feature: A016 Book or defer appointment
  A referrer books an unbooked referral into a free slot of a directly bookable service on its shortlist
  (status booked), or defers it to the provider (proposed, NO_SLOTS_AT_SERVICE | SLOT_NOT_AVAILABLE |
  BOOKING_ATTEMPT_PROBLEM) or sends it for triage (proposed, TRIAGE). The referral version travels in
  incomingReferral as ReferralRequest/{ubrn}/_history/{n}; the booking goes through the provider's PAS
  (catalogue section 2, A016; lifecycle 8.1/8.2; versioning 7). Requirements: A016-OP and each documented
  A016 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: a booking, deferral or triage request moves the referral on and creates its appointment

    @stateful @req=A016-OP
    Scenario: a referring clinician books a free slot
      Given a new referral shortlisting the "directlyBookable" service
      When the caller books the first free slot at the "directlyBookable" service
      Then an appointment is created with status booked
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1"
      And the weak ETag equals the resource's meta.versionId
      And the appointment points at the new version of the referral
      And the referral under test is now in state BOOKED

    @stateful @req=A016-OP
    Scenario: a referring clinician admin books a clinician's slot with that clinician
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a new referral shortlisting the "directlyBookable" service
      When the caller books the first free clinician slot at the "directlyBookable" service
      Then an appointment is created with status booked
      And the referral under test is now in state BOOKED

    @stateful @req=A016-OP
    Scenario Outline: deferring to the provider because <why>
      Given a new referral shortlisting the "<service>" service
      When the caller defers the referral to the "<service>" service with reason <reason>
      Then an appointment is created with status proposed
      And the weak ETag equals the resource's meta.versionId
      And the referral under test is now in state DEFERRED_TO_PROVIDER

      Examples:
        | service          | reason                  | why                                  |
        | noSlots          | NO_SLOTS_AT_SERVICE     | the service has no free slots        |
        | directlyBookable | BOOKING_ATTEMPT_PROBLEM | booking failed for another reason    |

    @stateful @req=A016-OP
    Scenario: deferring because the slot the patient chose has gone
      Given a new referral shortlisting the "directlyBookable" service
      When the caller defers the referral to the "directlyBookable" service with reason SLOT_NOT_AVAILABLE naming the slot "<slots.booked>"
      Then an appointment is created with status proposed
      And the referral under test is now in state DEFERRED_TO_PROVIDER

    @stateful @req=A016-OP
    Scenario: sending a referral for triage
      Given a new referral shortlisting the "triage" service
      When the caller sends the referral for triage at the "triage" service
      Then an appointment is created with status proposed
      And the referral under test is now in state AWAITING_TRIAGE

  Rule: the request must name the current version of a referral the caller may book

    @negative @stateful @error=VERSION_CONFLICT @req=A016-ERR-VERSION_CONFLICT
    Scenario: a stale referral version is refused with 409
      Given a new referral shortlisting the "directlyBookable" service
      And the write names a stale version of what it changes
      When the caller books the first free slot at the "directlyBookable" service
      Then the response status is 409
      And the response is an OperationOutcome with e-RS error code VERSION_CONFLICT
      And the referral under test is now in state NOT_BOOKED

    @negative @stateful @error=REFERRAL_LOCKED @req=A016-ERR-REFERRAL_LOCKED
    Scenario: a second booking while the first is still with the PAS is refused with 423
      Given a new referral shortlisting the "slowPas" service
      When a booking at the "slowPas" service is still with the PAS as the caller books the second free slot there
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the booking that held the referral succeeded

    @negative
    Scenario Outline: booking a referral that <why>
      Given the referral under test is the "<referral>" referral
      When the caller defers the referral to the "directlyBookable" service with reason BOOKING_ATTEMPT_PROBLEM
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=PATIENT_ERROR @req=A016-ERR-PATIENT_ERROR
      Examples: patient record
        | referral         | code          | why                                   |
        | sensitivePatient | PATIENT_ERROR | is for a patient whose record cannot be used |

      @error=NO_RELATIONSHIP @req=A016-ERR-NO_RELATIONSHIP
      Examples: relationship
        | referral               | code            | why                                 |
        | noProviderRelationship | NO_RELATIONSHIP | another practice raised             |

      @error=INVALID_REQUEST_STATE @req=A016-ERR-INVALID_REQUEST_STATE
      Examples: state
        | referral  | code                  | why                      |
        | bookedDbs | INVALID_REQUEST_STATE | is already booked        |
        | deferred  | INVALID_REQUEST_STATE | is already deferred      |
        | cancelled | INVALID_REQUEST_STATE | has been cancelled       |

    @negative @error=REFERENCE_NOT_FOUND @req=A016-ERR-REFERENCE_NOT_FOUND
    Scenario: a referral e-RS does not know
      Given the referral under test is the "unknown" referral
      When the caller defers the referral to the "directlyBookable" service with reason BOOKING_ATTEMPT_PROBLEM
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code REFERENCE_NOT_FOUND

    @negative @error=MISSING_VALUE @req=A016-ERR-MISSING_VALUE
    Scenario: a referral reference without its version
      Given the referral under test is the "gastroUnbooked" referral
      And the write names no version of what it changes
      When the caller defers the referral to the "noSlots" service with reason NO_SLOTS_AT_SERVICE
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

  Rule: the appointment itself must be valid for the referral and the service

    @negative
    Scenario Outline: an appointment whose <field> is "<value>"
      Given the referral under test is the "gastroUnbooked" referral
      And the appointment request says its <field> is "<value>"
      When the caller defers the referral to the "noSlots" service with reason NO_SLOTS_AT_SERVICE
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_VALUE

      @error=INVALID_VALUE @req=A016-ERR-INVALID_VALUE
      Examples:
        | field       | value       | why                                   |
        | status      | pending     | only booked or proposed is allowed    |
        | description | Appointment | the description is fixed              |

    @negative @error=INAPPROPRIATE_VALUE @req=A016-ERR-INAPPROPRIATE_VALUE
    Scenario: an appointment for another patient
      Given the referral under test is the "gastroUnbooked" referral
      And the appointment request names the "noRegisteredGp" patient
      When the caller defers the referral to the "noSlots" service with reason NO_SLOTS_AT_SERVICE
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INAPPROPRIATE_VALUE

    @negative
    Scenario Outline: a booking where <why>
      Given the referral under test is the "<referral>" referral
      When the caller <action>
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_STATE @req=A016-ERR-INVALID_STATE
      Examples: not directly bookable
        | referral       | action                                                                                  | status | code          | why                                  |
        | gastroUnbooked | books the slot "<slots.booked>" at the "indirectlyBookable" service                     | 422    | INVALID_STATE | the service is indirectly bookable   |

      @error=INAPPROPRIATE_VALUE @req=A016-ERR-INAPPROPRIATE_VALUE
      Examples: not on the shortlist
        | referral       | action                                                                          | status | code                | why                                      |
        | gastroUnbooked | defers the referral to the "directlyBookable" service with reason BOOKING_ATTEMPT_PROBLEM | 422    | INAPPROPRIATE_VALUE | the service is not on the shortlist      |
        | gastroUnbooked | books a free slot of the "directlyBookable" service at the "pasError" service    | 422    | INAPPROPRIATE_VALUE | the slot is of an unshortlisted service  |
        | gastroUnbooked | sends the referral for triage at the "noSlots" service                           | 422    | INAPPROPRIATE_VALUE | the service does not take triage         |

      @error=INAPPROPRIATE_SLOT @req=A016-ERR-INAPPROPRIATE_SLOT
      Examples: slot does not match
        | referral       | action                                                                      | status | code               | why                                            |
        | gastroUnbooked | books a free slot of the "pasRefuses" service at the "pasError" service      | 422    | INAPPROPRIATE_SLOT | the slot belongs to another shortlisted service |
        | unbooked       | books a clinician slot at the "directlyBookable" service without naming the clinician | 422 | INAPPROPRIATE_SLOT | the clinician's slot is booked without them |

      @error=SERVICE_UNAVAILABLE @req=A016-ERR-SERVICE_UNAVAILABLE
      Examples: withdrawn service
        | referral       | action                                                                       | status | code                | why                                   |
        | gastroUnbooked | defers the referral to the "withdrawn" service with reason BOOKING_ATTEMPT_PROBLEM | 422    | SERVICE_UNAVAILABLE | the service is no longer published    |

      @error=MISSING_VALUE @req=A016-ERR-MISSING_VALUE
      Examples: no slot
        | referral       | action                                    | status | code          | why                        |
        | gastroUnbooked | books the "noSlots" service without a slot | 422    | MISSING_VALUE | a booking names no slot    |

      @error=REFERENCE_NOT_FOUND @req=A016-ERR-REFERENCE_NOT_FOUND
      Examples: unknown slot
        | referral       | action                                                     | status | code                | why                      |
        | gastroUnbooked | books the slot "<slots.unknown>" at the "pasError" service | 422    | REFERENCE_NOT_FOUND | the slot never existed   |

      @error=SLOT_NOT_AVAILABLE @req=A016-ERR-SLOT_NOT_AVAILABLE
      Examples: slot taken
        | referral | action                                                            | status | code               | why                        |
        | unbooked | books the slot "<slots.booked>" at the "directlyBookable" service | 422    | SLOT_NOT_AVAILABLE | the slot is already booked |

      @error=INVALID_CODE @req=A016-ERR-INVALID_CODE
      Examples: unknown deferral reason
        | referral       | action                                                                       | status | code         | why                                 |
        | gastroUnbooked | defers the referral to the "noSlots" service with reason PATIENT_PREFERENCE | 422    | INVALID_CODE | the reason is not an e-RS review reason |

      @error=SLOTS_CURRENTLY_AVAILABLE @req=A016-ERR-SLOTS_CURRENTLY_AVAILABLE
      Examples: slots exist
        | referral | action                                                                          | status | code                      | why                                          |
        | unbooked | defers the referral to the "directlyBookable" service with reason NO_SLOTS_AT_SERVICE | 422    | SLOTS_CURRENTLY_AVAILABLE | NO_SLOTS_AT_SERVICE is claimed while slots exist |

      @error=THIS_SLOT_IS_AVAILABLE @req=A016-ERR-THIS_SLOT_IS_AVAILABLE
      Examples: the slot is free
        | referral | action                                                                                        | status | code                   | why                                            |
        | unbooked | defers the referral to the "directlyBookable" service with reason SLOT_NOT_AVAILABLE naming a free slot | 422    | THIS_SLOT_IS_AVAILABLE | SLOT_NOT_AVAILABLE names a slot that is free |

  Rule: the provider's PAS confirms each booking (seeded services whose PAS fails)

    @negative
    Scenario Outline: the PAS <why>
      Given the referral under test is the "gastroUnbooked" referral
      When the caller books the first free slot at the "<service>" service
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>
      And the referral under test is now in state NOT_BOOKED

      @error=UNABLE_TO_CONFIRM_APPOINTMENT @req=A016-ERR-UNABLE_TO_CONFIRM_APPOINTMENT
      Examples: refuses
        | service    | status | code                          | why                             |
        | pasRefuses | 422    | UNABLE_TO_CONFIRM_APPOINTMENT | says the slot is no longer free |

      @error=PAS_RESPONDED_WITH_ERROR @req=A016-ERR-PAS_RESPONDED_WITH_ERROR
      Examples: errors
        | service  | status | code                     | why                 |
        | pasError | 502    | PAS_RESPONDED_WITH_ERROR | answers with an error |

      @error=PAS_NOT_RESPONDING @req=A016-ERR-PAS_NOT_RESPONDING
      Examples: silent
        | service    | status | code               | why               |
        | pasTimeout | 504    | PAS_NOT_RESPONDING | does not answer   |

  Rule: only referrers may book

    @negative @error=FORBIDDEN @req=A016-ERR-403-FORBIDDEN
    Scenario: a provider clinician may not book
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "gastroUnbooked" referral
      When the caller defers the referral to the "noSlots" service with reason NO_SLOTS_AT_SERVICE
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

@A038 @stu3 @user-restricted
Feature: A038 Retrieve appointment
  A referrer or provider reads a referral's current appointment (eRS-Appointment-1) by its id, or reads
  its current version through the _history URL. The weak ETag is the appointment's version, which A034
  needs in If-Match; only the current appointment and its current version can be read (catalogue section
  2, A038 and A038-versioned; versioning in section 7). Requirements: A038-OP, A038-versioned-OP and each
  documented error response of both.

  Rule: the current appointment is returned with its version

    @req=A038-OP
    Scenario Outline: <role> reads a booked appointment
      Given the caller is a <role>
      When the caller retrieves the "bookedDbs" appointment
      Then the response status is 200
      And the response is FHIR JSON
      And the response is an Appointment with status booked
      And the resource claims the profile "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1"
      And the weak ETag equals the resource's meta.versionId

      Examples:
        | role                             | why                          |
        | REFERRING_CLINICIAN              | the referrer                 |
        | REFERRING_CLINICIAN_ADMIN        | the referrer's admin         |
        | SERVICE_PROVIDER_CLINICIAN       | the provider it is booked at |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN | acting for that provider     |

    @stateful @req=A038-OP
    Scenario: a deferral's proposed appointment is readable once made
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "noSlots" service
      And the caller defers the referral to the "noSlots" service with reason NO_SLOTS_AT_SERVICE
      When the caller retrieves the "just made" appointment
      Then the response is an Appointment with status proposed
      And the weak ETag equals the resource's meta.versionId

    @req=A038-versioned-OP
    Scenario: the current version is readable through its _history URL
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves the current version of the "bookedDbs" appointment by its _history URL
      Then the response status is 200
      And the response is an Appointment with status booked
      And the weak ETag equals the resource's meta.versionId

  Rule: other versions and unknown appointments are not found

    @negative @error=HISTORY_NOT_SUPPORTED @req=A038-versioned-ERR-HTTP404 @req=X-VER-STALE-HISTORY-READ
    Scenario: a version that is not the current one
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves another version of the "bookedDbs" appointment by its _history URL
      Then the response status is 404
      And the response is an OperationOutcome with e-RS error code HISTORY_NOT_SUPPORTED

    @negative @req=A038-ERR-HTTP404
    Scenario: an appointment e-RS does not hold
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves the "unknown" appointment
      Then the response status is 404

  Rule: the caller must be allowed to see the referral behind it

    @negative
    Scenario Outline: an appointment whose referral <why>
      Given the caller is a REFERRING_CLINICIAN
      When the caller retrieves the "<appointment>" appointment
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=PATIENT_ERROR @req=A038-ERR-PATIENT_ERROR
      Examples: patient record
        | appointment      | code          | why                                        |
        | sensitivePatient | PATIENT_ERROR | is for a patient whose record cannot be used |

      @error=NO_RELATIONSHIP @req=A038-ERR-NO_RELATIONSHIP
      Examples: relationship
        | appointment            | code            | why                           |
        | noProviderRelationship | NO_RELATIONSHIP | was raised by another practice |

    @negative @error=FORBIDDEN @req=A038-ERR-403-FORBIDDEN
    Scenario: a referring admin may not read appointments
      Given the caller is a REFERRING_ADMIN
      When the caller retrieves the "bookedDbs" appointment
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

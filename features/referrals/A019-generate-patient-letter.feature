@A019 @stu3 @user-restricted
Feature: A019 Generate patient letter
  A referrer prints the patient's letter for a referral ($ers.generatePatientLetter): a PDF with the
  shortlist and booking instructions, or the booking / deferral confirmation, named
  {ubrn}_Appointment_Confirmation_Summary_{timestamp}.pdf (catalogue section 2, A019). The PDF must open
  in a reader. Requirements: A019-OP and each documented A019 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: the letter is a PDF about the referral

    @req=A019-OP
    Scenario Outline: <role> prints the letter of a <which> referral
      Given the caller is a <role>
      And the referral under test is the "<which>" referral
      When the caller asks for the patient letter
      Then the response is a PDF a reader can open, named for the referral
      And the response echoes the request's X-Correlation-ID

      Examples:
        | role                      | which     |
        | REFERRING_CLINICIAN       | unbooked  |
        | REFERRING_CLINICIAN_ADMIN | bookedDbs |
        | REFERRING_CLINICIAN       | deferred  |

  Rule: some referrals and patients cannot have a letter

    @negative
    Scenario Outline: a letter for a referral that <why>
      Given the referral under test is the "<referral>" referral
      When the caller asks for the patient letter
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=NO_ACCESS_CODE @req=A019-ERR-NO_ACCESS_CODE
      Examples: no portal access
        | referral           | status | code           | why                                      |
        | noPortalAccessCode | 422    | NO_ACCESS_CODE | is for a patient with no portal access code |

      @error=INVALID_REQUEST_TYPE @req=A019-ERR-INVALID_REQUEST_TYPE
      Examples: not a referral
        | referral          | status | code                 | why                             |
        | adviceAndGuidance | 422    | INVALID_REQUEST_TYPE | is an advice and guidance request |

      @error=INVALID_REQUEST_STATE @req=A019-ERR-INVALID_REQUEST_STATE
      Examples: cancelled
        | referral  | status | code                  | why              |
        | cancelled | 422    | INVALID_REQUEST_STATE | has been cancelled |

      @error=NO_RELATIONSHIP @req=A019-ERR-NO_RELATIONSHIP
      Examples: another practice
        | referral               | status | code            | why                         |
        | noProviderRelationship | 422    | NO_RELATIONSHIP | another practice raised     |

      @req=A019-ERR-HTTP404
      Examples: unknown
        | referral | status | code                | why                   |
        | unknown  | 404    | REFERENCE_NOT_FOUND | e-RS does not hold    |

    @negative @req=A019-ERR-HTTP406
    Scenario: a caller that accepts only FHIR JSON gets 406
      Given the referral under test is the "unbooked" referral
      And the request sends the "Accept" header as "application/fhir+json"
      When the caller asks for the patient letter
      Then the response status is 406

    @negative @error=FORBIDDEN @req=A019-ERR-403-FORBIDDEN
    Scenario: a provider clinician may not print patient letters
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "bookedDbs" referral
      When the caller asks for the patient letter
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

@A007 @stu3
Feature: A007 Retrieve clinical information (CRI PDF)
  A referrer or provider (or a provider application) asks for the Clinical Referral Information summary of a
  referral: a PDF of the structured clinical information, the provider's review activity and the attachments'
  names (never the attachments themselves), named {ubrn}_Clinical_Information_Summary_{yyyyMMddHHmmss}.pdf. Each
  UBRN of a pathway has its own summary (catalogue section 2, A007). Requirements: A007-OP and each documented
  A007 error response.

  Rule: the summary is a PDF named for the referral

    @user-restricted @req=A007-OP
    Scenario Outline: a <role> gets the clinical information of a booked referral
      Given the caller is a <role>
      When the caller asks for the clinical information of the "bookedDbs" referral
      Then the response is a clinical information summary PDF named for the referral

      Examples:
        | role                             |
        | REFERRING_CLINICIAN              |
        | REFERRING_CLINICIAN_ADMIN        |
        | SERVICE_PROVIDER_CLINICIAN       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN |

    @app-restricted @req=A007-OP
    Scenario: the provider application gets the clinical information
      Given the caller is the provider application
      When the caller asks for the clinical information of the "bookedDbs" referral
      Then the response is a clinical information summary PDF named for the referral

    @user-restricted @sandbox @req=A007-OP
    Scenario: the documented example summary (runnable against the NHS sandbox)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller asks for the clinical information of the "unbooked" referral
      Then the response is a clinical information summary PDF named for the referral

  Rule: a request, patient or relationship that does not allow it is refused

    @user-restricted @negative
    Scenario Outline: the clinical information of the <referral> referral
      Given the caller is a <role>
      When the caller asks for the clinical information of the "<referral>" referral
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_REQUEST_TYPE @req=A007-ERR-INVALID_REQUEST_TYPE
      Examples: an advice and guidance request (use A043)
        | role                       | referral          | status | code                 |
        | SERVICE_PROVIDER_CLINICIAN | adviceAndGuidance | 422    | INVALID_REQUEST_TYPE |

      @error=PATIENT_ERROR @req=A007-ERR-PATIENT_ERROR
      Examples: patient record
        | role                | referral         | status | code          |
        | REFERRING_CLINICIAN | sensitivePatient | 422    | PATIENT_ERROR |

      @error=NO_RELATIONSHIP @req=A007-ERR-NO_RELATIONSHIP
      Examples: another organisation's referral
        | role                       | referral               | status | code            |
        | SERVICE_PROVIDER_CLINICIAN | noProviderRelationship | 422    | NO_RELATIONSHIP |

      @req=A007-ERR-HTTP404
      Examples: unknown
        | role                       | referral | status | code                |
        | SERVICE_PROVIDER_CLINICIAN | unknown  | 404    | REFERENCE_NOT_FOUND |

    @user-restricted @negative @error=FORBIDDEN @req=A007-ERR-403-FORBIDDEN
    Scenario: a provider administrator may not read clinical information
      Given the caller is a SERVICE_PROVIDER_ADMIN
      When the caller asks for the clinical information of the "bookedDbs" referral
      Then the response status is 403
      And the response is an OperationOutcome with issue type forbidden and e-RS error code FORBIDDEN

    @user-restricted @negative @req=A007-ERR-HTTP406
    Scenario: a caller that accepts only FHIR JSON gets 406 for a PDF
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the request sends the "Accept" header as "application/fhir+json"
      When the caller asks for the clinical information of the "bookedDbs" referral
      Then the response status is 406
      And the response Content-Type is "text/plain"

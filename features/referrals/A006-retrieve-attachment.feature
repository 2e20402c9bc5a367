@A006 @stu3
Feature: A006 Retrieve attachment (STU3, deprecated)
  A referrer or provider downloads a file attached to a referral (Binary/{id} from DocumentReference.content.
  attachment.url) as raw bytes with its own Content-Type and an attachment Content-Disposition. Only a file the
  document store's malware scan found clean (AVAILABLE) and of at most 5 MB is served; an Accept header, when sent,
  must admit the file's MIME type (SCAL A006-03). Deprecated in favour of A042 (catalogue section 2, A006;
  attachments 8.4). Requirements: A006-OP and each documented A006 error response.

  Rule: a clean file the caller may see is served as it was uploaded

    @user-restricted @req=A006-OP
    Scenario Outline: a <role> downloads a referral letter
      Given the caller is a <role>
      When the caller retrieves the "available" attachment with A006
      Then the response is the attachment's bytes as "<attachments.availableType>"

      Examples:
        | role                             |
        | REFERRING_CLINICIAN              |
        | REFERRING_CLINICIAN_ADMIN        |
        | SERVICE_PROVIDER_CLINICIAN       |
        | SERVICE_PROVIDER_CLINICIAN_ADMIN |

    @app-restricted @req=A006-OP
    Scenario: the provider application downloads a referral letter
      Given the caller is the provider application
      When the caller retrieves the "available" attachment with A006
      Then the response is the attachment's bytes as "<attachments.availableType>"

    @user-restricted @sandbox @req=A006-OP
    Scenario Outline: the documented example attachment, accepting <accept> (runnable against the NHS sandbox)
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller retrieves the "available" attachment with A006 accepting "<accept>"
      Then the response is the attachment's bytes as "<attachments.availableType>"

      Examples:
        | accept                          |
        | <attachments.availableType>     |
        | */*                             |

    @user-restricted @negative @req=A006-ERR-HTTP406
    Scenario: an Accept header that does not admit the file's type is not acceptable
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller retrieves the "available" attachment with A006 accepting "image/png"
      Then the response status is 406
      And the response Content-Type is "text/plain"

    @user-restricted @stateful @fault-injection @req=A006-OP @req=A006-ERR-PENDING
    Scenario: a new upload is PENDING until the document store's scan completes
      Given the caller is a REFERRING_CLINICIAN
      And a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "history.txt" as "text/plain" for the referral
      When the caller retrieves the "first uploaded" attachment with A006
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code PENDING
      Given the document store has had 5 minutes to scan
      When the caller retrieves the "first uploaded" attachment with A006
      Then the response is the attachment's bytes as "text/plain"

  Rule: a file the scan did not pass, too large for A006, or not the caller's, is refused

    @user-restricted @negative
    Scenario Outline: retrieving the <attachment> attachment
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      When the caller retrieves the "<attachment>" attachment with A006
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=PENDING @req=A006-ERR-PENDING
      Examples: still being scanned
        | attachment | status | code    |
        | pending    | 422    | PENDING |

      @error=THREATS_FOUND @req=A006-ERR-THREATS_FOUND
      Examples: quarantined
        | attachment   | status | code          |
        | threatsFound | 422    | THREATS_FOUND |

      @error=VALIDATION_FAILED @req=A006-ERR-VALIDATION_FAILED
      Examples: not what it claims to be
        | attachment       | status | code              |
        | validationFailed | 422    | VALIDATION_FAILED |

      @error=FILE_SIZE_ERROR @req=A006-ERR-FILE_SIZE_ERROR
      Examples: larger than 5 MB (use A042)
        | attachment | status | code            |
        | oversized  | 422    | FILE_SIZE_ERROR |

      @error=FORBIDDEN @req=A006-ERR-403-FORBIDDEN
      Examples: another organisation's referral
        | attachment     | status | code      |
        | noRelationship | 403    | FORBIDDEN |

      @req=A006-ERR-HTTP404
      Examples: not in the document store
        | attachment | status | code                |
        | unknown    | 404    | REFERENCE_NOT_FOUND |

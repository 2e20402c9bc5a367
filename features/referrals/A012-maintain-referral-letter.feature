@A012 @stu3 @user-restricted
Feature: A012 Maintain referral letter
  A referrer attaches referral letters to a referral, or replaces them, by sending the complete new set
  of REFERRER DocumentReferences whose attachment urls are the Binary locations A020 returned for files
  uploaded with this UBRN. If-Match carries the referral's current version; a referral keeps at least
  one letter once it has one (catalogue section 2, A012; attachments 8.4; versioning 7). Requirements:
  A012-OP and each documented A012 error response.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: the letters sent become the referral's letters

    @stateful @req=A012-OP
    Scenario: a referring clinician attaches a letter, then replaces it with two
      Given a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      When the caller links the uploaded file as the referral letter
      Then the referral holds 1 referral letter
      And the weak ETag equals the resource's meta.versionId
      And the referral under test is now at version 2
      Given the caller has uploaded "results.pdf" as "application/pdf" for the referral
      When the caller links the uploaded files as the referral letters
      Then the referral holds 2 referral letters
      And the referral under test is now at version 3

    @stateful @req=A012-OP
    Scenario: a referring clinician admin attaches a letter
      Given the caller is a REFERRING_CLINICIAN_ADMIN
      And a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      When the caller links the uploaded file as the referral letter
      Then the referral holds 1 referral letter

  Rule: the write carries the referral's current version, and waits for other writes

    @negative @stateful
    Scenario Outline: If-Match <why>
      Given a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      And <precondition>
      When the caller links the uploaded file as the referral letter
      Then the response status is <status> with <answer>

      @req=A012-ERR-HTTP412
      Examples: missing
        | precondition                                  | status | answer                   | why        |
        | the write names no version of what it changes | 412    | no documented error code | is missing |

      @error=VERSION_CONFLICT @req=A012-ERR-VERSION_CONFLICT
      Examples: stale
        | precondition                                       | status | answer                           | why                    |
        | the write names a stale version of what it changes | 409    | e-RS error code VERSION_CONFLICT | names an older version |

    @negative @stateful @error=REFERRAL_LOCKED @req=A012-ERR-REFERRAL_LOCKED
    Scenario: letters sent while a booking holds the referral are refused with 423
      Given a new referral shortlisting the "slowPas" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      When a booking at the "slowPas" service is still with the PAS as the caller links the uploaded letter
      Then the write made meanwhile got 423 with e-RS error code REFERRAL_LOCKED
      And the booking that held the referral succeeded

  Rule: the files and the referral must allow the change

    @negative @stateful
    Scenario Outline: a letter whose <field> is "<value>"
      Given a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      And the referral letter <field> is "<value>"
      When the caller links the uploaded file as the referral letter
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code <code>

      @error=INVALID_VALUE @req=A012-ERR-INVALID_VALUE
      Examples: not a referrer letter
        | field  | value      | code          | why                          |
        | type   | PROVIDER   | INVALID_VALUE | not a REFERRER attachment    |
        | status | superseded | INVALID_VALUE | not current                  |

      @error=CONFLICTING_VALUES @req=A012-ERR-CONFLICTING_VALUES
      Examples: type differs from the upload
        | field       | value           | code               | why                              |
        | contentType | application/pdf | CONFLICTING_VALUES | uploaded as text/plain           |

      @error=MISSING_VALUE @req=A012-ERR-MISSING_VALUE
      Examples: no file named
        | field | value | code          | why                   |
        | url   |       | MISSING_VALUE | no attachment url     |

    @negative @stateful @error=DUPLICATE_FILENAME @req=A012-ERR-DUPLICATE_FILENAME
    Scenario: two files with the same name
      Given a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      When the caller links the uploaded files as the referral letters
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code DUPLICATE_FILENAME

    @negative @stateful @error=NO_CHANGES_DETECTED @req=A012-ERR-NO_CHANGES_DETECTED
    Scenario: sending the letters the referral already has
      Given a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      And the caller links the uploaded file as the referral letter
      When the caller links the uploaded file as the referral letter
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code NO_CHANGES_DETECTED

    @negative @error=MISSING_VALUE @req=A012-ERR-MISSING_VALUE
    Scenario: removing every letter
      Given the referral under test is the "unbooked" referral
      When the caller links no referral letters
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code MISSING_VALUE

    @negative
    Scenario Outline: linking the <document> document to the <referral> referral
      Given the referral under test is the "<referral>" referral
      When the caller links the "<document>" document as the referral letter
      Then the response status is <status>
      And the response is an OperationOutcome with e-RS error code <code>

      @error=REFERENCE_NOT_FOUND @req=A012-ERR-REFERENCE_NOT_FOUND
      Examples: not in the document store
        | referral | document | status | code                | why            |
        | unbooked | unknown  | 422    | REFERENCE_NOT_FOUND | never uploaded |

      @error=INAPPROPRIATE_VALUE @req=A012-ERR-INAPPROPRIATE_VALUE
      Examples: uploaded without the referral id
        | referral | document          | status | code                | why                               |
        | unbooked | withoutReferralId | 422    | INAPPROPRIATE_VALUE | no NHSD-eRS-Referral-ID at upload |

      @error=INVALID_STATE @req=A012-ERR-INVALID_STATE
      Examples: linked already as something else
        | referral | document           | status | code          | why                             |
        | unbooked | providerAttachment | 422    | INVALID_STATE | already a provider attachment   |

      @error=INVALID_REQUEST_TYPE @req=A012-ERR-INVALID_REQUEST_TYPE
      Examples: not a referral
        | referral          | document           | status | code                 | why                    |
        | adviceAndGuidance | providerAttachment | 422    | INVALID_REQUEST_TYPE | an A&G request's UBRN  |

      @error=PATIENT_ERROR @req=A012-ERR-PATIENT_ERROR
      Examples: patient record
        | referral         | document           | status | code          | why                     |
        | sensitivePatient | providerAttachment | 422    | PATIENT_ERROR | record cannot be used   |

      @error=NO_RELATIONSHIP @req=A012-ERR-NO_RELATIONSHIP
      Examples: another practice
        | referral               | document           | status | code            | why                        |
        | noProviderRelationship | providerAttachment | 422    | NO_RELATIONSHIP | raised by another practice |

      @error=INVALID_REQUEST_STATE @req=A012-ERR-INVALID_REQUEST_STATE
      Examples: state
        | referral        | document           | status | code                  | why                        |
        | cancelled       | providerAttachment | 422    | INVALID_REQUEST_STATE | cancelled                  |
        | bookedInThePast | providerAttachment | 422    | INVALID_REQUEST_STATE | the appointment has passed |

      @req=A012-ERR-HTTP404
      Examples: unknown referral
        | referral | document           | status | code                | why        |
        | unknown  | providerAttachment | 404    | REFERENCE_NOT_FOUND | not held   |

  Rule: the request must be well-formed FHIR for the operation

    @negative @stateful @error=UNEXPECTED_FIELD @req=A012-ERR-UNEXPECTED_FIELD
    Scenario: a parameter the operation does not define
      Given a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      And a referral letter request linking the uploaded file
      And the referral letter request parameters are changed:
        | parameter | value  |
        | urgency   | urgent |
      When the caller sends the referral letter request
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code UNEXPECTED_FIELD

    @negative @stateful @error=INVALID_FHIR_STRUCTURE @req=A012-ERR-INVALID_FHIR_STRUCTURE
    Scenario: a letter sent as a JSON array instead of a DocumentReference
      Given a new referral shortlisting the "directlyBookable" service
      And the caller has uploaded "letter.txt" as "text/plain" for the referral
      And a referral letter request linking the uploaded file
      And the referral letter request parameter "referralLetterFile" holds a list instead of a single value
      When the caller sends the referral letter request
      Then the response status is 422
      And the response is an OperationOutcome with e-RS error code INVALID_FHIR_STRUCTURE

  Rule: only referrers maintain referral letters

    @negative @error=FORBIDDEN @req=A012-ERR-403-FORBIDDEN
    Scenario: a provider clinician may not change referral letters
      Given the caller is a SERVICE_PROVIDER_CLINICIAN
      And the referral under test is the "bookedDbs" referral
      When the caller links the "providerAttachment" document as the referral letter
      Then the response status is 403
      And the response is an OperationOutcome with e-RS error code FORBIDDEN

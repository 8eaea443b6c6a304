"""Application services that join the domain (``studyapp.core``) and the data (``studyapp.storage``):
opening the study database with cards synced from content, the review session the UI drives, the
statistics of ``studyapp stats`` and the stats screen, and saved exercise attempts. They may import
storage and core; core never imports them, and they import no export, ui or commands."""

"""Personal data encrypted at rest with SM4 (issue 16 item 5): the columns become ciphertext,
blind indexes are added, and the existing rows are encrypted in batches (zhifa/common/dataencrypt.py)."""

import zhifa.common.fields
from django.db import migrations

from zhifa.common.dataencrypt import decrypt_existing, encrypt_existing


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0003_generated_document_request_key'),
    ]

    operations = [
        migrations.AlterField(
            model_name='generateddocument',
            name='context',
            field=zhifa.common.fields.EncryptedJSONField(default=dict, verbose_name='生成时数据'),
        ),
        migrations.RunPython(encrypt_existing('documents', 'generateddocument'), decrypt_existing('documents', 'generateddocument')),
    ]
